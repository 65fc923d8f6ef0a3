package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"cognate/internal/trigger"
)

// triggers builds the invoker of the pools' Lambda triggers from the configuration: the
// webhooks mapped to function ARNs, and the Lambda Invoke API when it has keys to sign
// with. Nil when neither is configured: triggers are then not called (a warning is logged
// where a pool has one).
func triggers(c *Config) (*trigger.Router, error) {
	r := &trigger.Router{}
	urls := map[string]string{}
	if c.TriggerWebhooksFile != "" {
		m, err := trigger.ReadWebhookFile(c.TriggerWebhooksFile)
		if err != nil {
			return nil, fmt.Errorf("--trigger-webhooks-file: %w", err)
		}
		urls = m
	}
	for _, v := range c.TriggerWebhooks {
		arn, target, ok := trigger.ParseMapping(v)
		if !ok {
			return nil, fmt.Errorf("--trigger-webhook %q: want ARN=URL", v)
		}
		urls[arn] = target
	}
	if len(urls) > 0 {
		w, err := trigger.NewWebhooks(urls, []byte(c.TriggerWebhookSecret))
		if err != nil {
			return nil, fmt.Errorf("--trigger-webhook: %w", err)
		}
		r.Webhooks = w
	}
	if c.LambdaAccessKeyID != "" {
		region := c.LambdaRegion
		if region == "" {
			region = c.Region
		}
		l, err := trigger.NewLambda(trigger.LambdaConfig{Endpoint: c.LambdaEndpoint, Region: region,
			Credentials: credentials.NewStaticCredentialsProvider(c.LambdaAccessKeyID, c.LambdaSecretAccessKey, "")})
		if err != nil {
			return nil, fmt.Errorf("--lambda-endpoint: %w", err)
		}
		r.Lambda = l
	}
	if r.Webhooks == nil && r.Lambda == nil {
		return nil, nil
	}
	return r, nil
}
