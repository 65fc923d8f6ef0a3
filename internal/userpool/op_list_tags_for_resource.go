package userpool

import "context"

// ListTagsForResource returns the tags of a user pool or of one of its replicas.
func (s *Service) ListTagsForResource(ctx context.Context, in *ListTagsForResourceRequest) (*ListTagsForResourceResponse, error) {
	tags, err := s.tagsOf(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = map[string]string{} // "Tags": {}, as AWS's tagging APIs answer an untagged resource
	}
	return &ListTagsForResourceResponse{Tags: tags}, nil
}
