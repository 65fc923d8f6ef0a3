package userpool

import (
	"context"
	"errors"
	"slices"
)

// SetLogDeliveryConfiguration sets where a pool exports its logs: user notification
// (message delivery) errors to a CloudWatch Logs group, and threat protection's user
// activity to a log group, a Firehose stream or an S3 bucket [D, "Exporting logs from
// Amazon Cognito user pools"]. cognate writes both, as JSON lines, to files a destination's
// ARN names under the log export directory (LogWriter); without one it only stores them.
func (s *Service) SetLogDeliveryConfiguration(ctx context.Context, in *SetLogDeliveryConfigurationRequest) (*SetLogDeliveryConfigurationResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	var sources []string
	for _, c := range in.LogConfigurations {
		src := deref(c.EventSource)
		if slices.Contains(sources, src) {
			return nil, invalidParameter("LogConfigurations name the event source %s more than once.", src)
		}
		sources = append(sources, src)
		if err := checkLogConfiguration(p, c); err != nil {
			return nil, err
		}
	}
	cfg := &LogDeliveryConfigurationType{UserPoolId: ptr(p.ID), LogConfigurations: in.LogConfigurations}
	if cfg.LogConfigurations == nil {
		cfg.LogConfigurations = []LogConfigurationType{}
	}
	if err := s.store.PutLogDelivery(ctx, cfg); errors.Is(err, ErrNotFound) {
		return nil, poolNotFound(p.ID)
	} else if err != nil {
		return nil, err
	}
	return &SetLogDeliveryConfigurationResponse{LogDeliveryConfiguration: cfg}, nil
}

// checkLogConfiguration judges one configuration by the rules the guide and the API
// reference give [D]: userNotification logs are ERROR-level and go to CloudWatch Logs
// only; userAuthEvents logs are INFO-level, go to any one of the three destinations, and
// need the Plus feature plan. The sentences are cognate's [I].
func checkLogConfiguration(p *Pool, c LogConfigurationType) error {
	n := 0
	for _, set := range []bool{c.CloudWatchLogsConfiguration != nil && c.CloudWatchLogsConfiguration.LogGroupArn != nil,
		c.S3Configuration != nil && c.S3Configuration.BucketArn != nil,
		c.FirehoseConfiguration != nil && c.FirehoseConfiguration.StreamArn != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return invalidParameter("A log configuration names exactly one destination: a CloudWatch Logs group, an S3 bucket or a Firehose stream.")
	}
	switch deref(c.EventSource) {
	case "userNotification":
		if deref(c.LogLevel) != "ERROR" {
			return invalidParameter("userNotification logs are exported at LogLevel ERROR.")
		}
		if c.CloudWatchLogsConfiguration == nil {
			return invalidParameter("userNotification logs can only be exported to a CloudWatch Logs group.")
		}
	case "userAuthEvents":
		if deref(c.LogLevel) != "INFO" {
			return invalidParameter("userAuthEvents logs are exported at LogLevel INFO.")
		}
		if deref(p.Doc.UserPoolTier) != "PLUS" {
			return newError("FeatureUnavailableInTierException", "Exporting userAuthEvents logs requires the Plus feature plan.")
		}
	}
	return nil
}
