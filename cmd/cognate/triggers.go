package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"cognate/internal/esdk"
	"cognate/internal/trigger"
)

// triggers builds the invoker of the pools' Lambda triggers from the configuration: the
// webhooks mapped to function ARNs, and the Lambda Invoke API when it has keys to sign
// with, and the encrypter of the codes custom sender triggers get (KMS, with the same keys).
// Nil when neither is configured: triggers are then not called (a warning is logged
// where a pool has one).
func triggers(c *Config) (invoker *trigger.Router, encrypter *esdk.Encrypter, err error) {
	r := &trigger.Router{}
	urls := map[string]string{}
	if c.TriggerWebhooksFile != "" {
		m, err := trigger.ReadWebhookFile(c.TriggerWebhooksFile)
		if err != nil {
			return nil, nil, fmt.Errorf("--trigger-webhooks-file: %w", err)
		}
		urls = m
	}
	for _, v := range c.TriggerWebhooks {
		arn, target, ok := trigger.ParseMapping(v)
		if !ok {
			return nil, nil, fmt.Errorf("--trigger-webhook %q: want ARN=URL", v)
		}
		urls[arn] = target
	}
	if len(urls) > 0 {
		w, err := trigger.NewWebhooks(urls, []byte(c.TriggerWebhookSecret))
		if err != nil {
			return nil, nil, fmt.Errorf("--trigger-webhook: %w", err)
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
			return nil, nil, fmt.Errorf("--lambda-endpoint: %w", err)
		}
		r.Lambda = l
		// The same keys encrypt the codes of custom sender triggers through KMS.
		enc, err := esdk.NewKMS(esdk.KMSConfig{Endpoint: c.KMSEndpoint, Region: region,
			Credentials: credentials.NewStaticCredentialsProvider(c.LambdaAccessKeyID, c.LambdaSecretAccessKey, "")}, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("--kms-endpoint: %w", err)
		}
		encrypter = enc
	}
	if r.Webhooks == nil && r.Lambda == nil {
		return nil, nil, nil
	}
	return r, encrypter, nil
}
