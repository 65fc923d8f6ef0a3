package userpool

import "context"

// GetCSVHeader returns the header a pool's import file must carry (csvHeader).
func (s *Service) GetCSVHeader(ctx context.Context, in *GetCSVHeaderRequest) (*GetCSVHeaderResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	return &GetCSVHeaderResponse{UserPoolId: ptr(p.ID), CSVHeader: csvHeader(p)}, nil
}
