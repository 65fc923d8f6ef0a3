// Package metrics is cognate's Prometheus instrumentation: the one package that knows
// prometheus/client_golang. It holds the process's registry and the counters, histograms
// and gauges operators scrape from /metrics, and offers the small functions the handler,
// the store adapter and the domain's Observer call.
//
// It decides nothing: what is counted where is wired in cmd/cognate. It keeps no labels of
// unbounded cardinality (no usernames, pool ids or addresses).
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Sources are the readings taken at scrape time.
type Sources struct {
	// HashQueue is how many password hashes wait for a slot.
	HashQueue func() int
	// Outbox is how many messages wait for delivery, by channel.
	Outbox func(ctx context.Context) (map[string]int, error)
	// Channels are the delivery channels configured, whose outbox depth is reported even
	// when it is zero.
	Channels []string
}

// Metrics is the process's set of metrics. Its methods are safe for concurrent use.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	deliveries *prometheus.CounterVec
	refusals   *prometheus.CounterVec
	triggers   *prometheus.CounterVec
}

// New registers cognate's metrics, with the Go runtime's and the process's, in a registry
// of their own.
func New(src Sources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_requests_total",
			Help: "Cognito API requests answered, by operation and by the exception sent (\"\" for success).",
		}, []string{"operation", "exception"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cognate_request_duration_seconds",
			Help: "How long Cognito API requests took to answer, by operation.",
			// From a cached read to several argon2id hashes waiting in the queue.
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"operation"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_deliveries_total",
			Help: "Message delivery outcomes by channel: delivered, retry, failed, superseded (its code was replaced first) or expired (its code expired first).",
		}, []string{"channel", "outcome"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_limit_refusals_total",
			Help: "Requests refused by a per-user or per-pool limit, by the limit's kind.",
		}, []string{"limit"}),
		triggers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_trigger_invocations_total",
			Help: "Lambda trigger invocations, by trigger source and outcome (ok, failed, unreachable).",
		}, []string{"source", "outcome"}),
	}
	hashQueue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cognate_password_hash_queue_depth",
		Help: "Password hashes waiting for one of the bounded hashing slots.",
	}, func() float64 { return float64(src.HashQueue()) })
	m.reg.MustRegister(m.requests, m.latency, m.deliveries, m.refusals, m.triggers, hashQueue,
		&outboxCollector{read: src.Outbox, channels: src.Channels, desc: prometheus.NewDesc("cognate_outbox_depth",
			"Messages waiting for delivery, by channel.", []string{"channel"}, nil)},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request counts one answered API request; op is "" when the target named no operation.
func (m *Metrics) Request(op, exception string, took time.Duration) {
	if op == "" {
		op = "unknown"
	}
	m.requests.WithLabelValues(op, exception).Inc()
	m.latency.WithLabelValues(op).Observe(took.Seconds())
}

// Delivery counts one delivery outcome of a channel.
func (m *Metrics) Delivery(channel, outcome string) {
	m.deliveries.WithLabelValues(channel, outcome).Inc()
}

// LimitRefused counts one request refused by a limit of the given kind.
func (m *Metrics) LimitRefused(kind string) {
	m.refusals.WithLabelValues(kind).Inc()
}

// TriggerInvoked counts one trigger invocation (the domain's Observer).
func (m *Metrics) TriggerInvoked(source, outcome string) {
	m.triggers.WithLabelValues(source, outcome).Inc()
}

// outboxCollector reads the outbox depth from the store at each scrape.
type outboxCollector struct {
	read     func(ctx context.Context) (map[string]int, error)
	channels []string
	desc     *prometheus.Desc
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	depth, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, channel := range c.channels {
		if _, ok := depth[channel]; !ok {
			depth[channel] = 0
		}
	}
	for channel, n := range depth {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), channel)
	}
}
