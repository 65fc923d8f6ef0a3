package userpool

import "context"

// ListTagsForResource returns a user pool's tags.
func (s *Service) ListTagsForResource(ctx context.Context, in *ListTagsForResourceRequest) (*ListTagsForResourceResponse, error) {
	id, err := s.poolIDFromARN(deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, id)
	if err != nil {
		return nil, err
	}
	tags := p.Doc.UserPoolTags
	if tags == nil {
		tags = map[string]string{} // "Tags": {}, as AWS's tagging APIs answer an untagged resource
	}
	return &ListTagsForResourceResponse{Tags: tags}, nil
}
