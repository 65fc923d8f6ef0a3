package userpool

import "context"

// UntagResource removes tags from a user pool by key; a key the pool has no tag for is no
// error.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceRequest) (*UntagResourceResponse, error) {
	err := s.changePoolTags(ctx, deref(in.ResourceArn), func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &UntagResourceResponse{}, nil
}
