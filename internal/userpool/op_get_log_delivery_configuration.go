package userpool

import (
	"context"
	"errors"
)

// GetLogDeliveryConfiguration describes where a pool exports its logs; a pool that was
// never configured has no log configurations.
func (s *Service) GetLogDeliveryConfiguration(ctx context.Context, in *GetLogDeliveryConfigurationRequest) (*GetLogDeliveryConfigurationResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	cfg, err := s.store.GetLogDelivery(ctx, p.ID)
	if errors.Is(err, ErrNotFound) {
		cfg, err = &LogDeliveryConfigurationType{UserPoolId: ptr(p.ID), LogConfigurations: []LogConfigurationType{}}, nil
	}
	if err != nil {
		return nil, err
	}
	return &GetLogDeliveryConfigurationResponse{LogDeliveryConfiguration: cfg}, nil
}
