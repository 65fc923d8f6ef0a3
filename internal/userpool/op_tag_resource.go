package userpool

import (
	"context"
	"maps"
)

// TagResource adds tags to a user pool, replacing the values of keys it has already.
func (s *Service) TagResource(ctx context.Context, in *TagResourceRequest) (*TagResourceResponse, error) {
	err := s.changePoolTags(ctx, deref(in.ResourceArn), func(tags map[string]string) error {
		maps.Copy(tags, in.Tags)
		if len(tags) > maxPoolTags {
			// The model names no LimitExceededException for TagResource.
			return invalidParameter("A user pool can have at most %d tags.", maxPoolTags)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &TagResourceResponse{}, nil
}
