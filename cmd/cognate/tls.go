package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tlsConfig returns the server's TLS configuration, or nil to serve plain HTTP: the
// certificate of --tls-cert/--tls-key, or with --tls-self-signed one cognate made and keeps
// beside the store (tls-cert.pem, tls-key.pem), for development. Amplify and other clients
// build https:// URLs of a pool's domain, so a local cognate needs to speak TLS.
func tlsConfig(c *Config) (*tls.Config, string, error) {
	var cert tls.Certificate
	var err error
	switch {
	case c.TLSCert != "" || c.TLSKey != "":
		cert, err = tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, "", fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
	case c.TLSSelfSigned:
		cert, err = selfSigned(c)
		if err != nil {
			return nil, "", fmt.Errorf("--tls-self-signed: %w", err)
		}
	default:
		return nil, "", nil
	}
	sum := sha256.Sum256(cert.Certificate[0])
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, strings.Join(parts, ":"), nil
}

// selfSigned reads the self-signed certificate beside the store, making it at first start
// (a store in memory gets one that dies with the process). It is good for localhost and the
// loopback addresses, and for the listen address's host.
func selfSigned(c *Config) (tls.Certificate, error) {
	var certPath, keyPath string
	if c.Store != ":memory:" {
		dir := filepath.Dir(c.Store)
		certPath, keyPath = filepath.Join(dir, "tls-cert.pem"), filepath.Join(dir, "tls-key.pem")
		if cert, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil {
			return cert, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return tls.Certificate{}, err
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "cognate (self-signed, for development)"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if host, _, err := net.SplitHostPort(c.Addr); err == nil && host != "" {
		if ip := net.ParseIP(host); ip != nil {
			if !ip.IsLoopback() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else if host != "localhost" {
			tmpl.DNSNames = append(tmpl.DNSNames, host)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if certPath != "" {
		if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
			return tls.Certificate{}, err
		}
		// The key first, and neither file replaced if another process made them meanwhile.
		if err := writeNew(keyPath, keyPEM, 0o600); errors.Is(err, fs.ErrExist) {
			return selfSigned(c)
		} else if err != nil {
			return tls.Certificate{}, err
		}
		if err := writeNew(certPath, certPEM, 0o644); err != nil {
			return tls.Certificate{}, err
		}
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

func writeNew(path string, b []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
