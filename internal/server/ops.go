package server

import (
	"net/http"
)

// The operator's endpoints: /healthz says the process is alive (it answers while it can
// answer anything), /readyz says it should get traffic (its store answers, its schema is
// current, it is not shutting down), /metrics is Prometheus's.

func (cfg Config) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (cfg Config) readyz(w http.ResponseWriter, r *http.Request) {
	err := cfg.Service.Ping(r.Context())
	if err == nil && cfg.Ready != nil {
		err = cfg.Ready(r.Context())
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err != nil {
		cfg.Logger.WarnContext(r.Context(), "not ready", "error", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: " + err.Error() + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
