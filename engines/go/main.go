// mtls-lab's `go` engine: a crypto/tls server (the stack of RoadRunner, Runway and Caddy) in
// one of Go's five tls.ClientAuthType modes, serving HTTP/1.1 and HTTP/2 by ALPN through
// net/http, and a gRPC health check answered by hand over HTTP/2. Standard library only, so it
// builds offline with no module download:
//
//	mtls-lab-go -mode RequireAndVerifyClientCert -cert server-chain.pem -key server.key \
//	  -ca client-ca.pem [-crl crl.pem] -tls 1.2|1.3|both -addr 127.0.0.1:PORT
//
// It prints "LISTENING <port>" once it accepts connections. Every HTTP request is answered 200
// with what crypto/tls saw, as one line of JSON; a gRPC call with that JSON in the
// x-mtls-lab-view trailer.
//
// crypto/tls checks no revocation. With -crl, the verifying modes also refuse a client whose
// verified chain holds a certificate listed in its issuer's CRL, or whose issuer has no
// current CRL, in VerifyPeerCertificate (crypto/tls then sends bad_certificate).
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

var modes = map[string]tls.ClientAuthType{
	"NoClientCert":               tls.NoClientCert,
	"RequestClientCert":          tls.RequestClientCert,
	"RequireAnyClientCert":       tls.RequireAnyClientCert,
	"VerifyClientCertIfGiven":    tls.VerifyClientCertIfGiven,
	"RequireAndVerifyClientCert": tls.RequireAndVerifyClientCert,
}

// grpc.health.v1.HealthCheckResponse{status: SERVING}: field 1, varint 1.
var serving = []byte{0x08, 0x01}

func main() {
	mode := flag.String("mode", "", "Go tls.ClientAuthType name, e.g. RequireAndVerifyClientCert")
	certFile := flag.String("cert", "", "server certificate chain (PEM)")
	keyFile := flag.String("key", "", "server private key (PEM)")
	caFile := flag.String("ca", "", "client CA certificates (PEM): the ClientCAs pool")
	crlFile := flag.String("crl", "", "CRLs (PEM) to check verified client chains against")
	version := flag.String("tls", "both", "1.2, 1.3 or both")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()

	clientAuth, ok := modes[*mode]
	if !ok {
		log.Fatalf("unknown -mode %q", *mode)
	}
	config := &tls.Config{ClientAuth: clientAuth, MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS13}
	switch *version {
	case "1.2":
		config.MaxVersion = tls.VersionTLS12
	case "1.3":
		config.MinVersion = tls.VersionTLS13
	case "both":
	default:
		log.Fatalf("unknown -tls %q", *version)
	}
	// Everything is loaded before listening, so a bad file fails before LISTENING is printed.
	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatalf("server certificate: %v", err)
	}
	config.Certificates = []tls.Certificate{cert}
	caPEM, err := os.ReadFile(*caFile)
	if err != nil {
		log.Fatalf("client CA: %v", err)
	}
	config.ClientCAs = x509.NewCertPool()
	if !config.ClientCAs.AppendCertsFromPEM(caPEM) {
		log.Fatalf("client CA: no certificate in %s", *caFile)
	}
	if *crlFile != "" {
		crls, err := loadCRLs(*crlFile)
		if err != nil {
			log.Fatalf("CRLs: %v", err)
		}
		config.VerifyPeerCertificate = checkRevocation(crls)
	}

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	server := &http.Server{TLSConfig: config, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer(w, r, *mode)
	})}
	fmt.Printf("LISTENING %d\n", listener.Addr().(*net.TCPAddr).Port)
	// ServeTLS with empty file names uses config.Certificates and offers h2 and http/1.1 by ALPN.
	log.Fatal(server.ServeTLS(listener, "", ""))
}

// view is what crypto/tls saw of the connection.
type view struct {
	Engine         string  `json:"engine"`
	Mode           string  `json:"mode"`
	TLSVersion     string  `json:"tlsVersion"`
	ALPN           *string `json:"alpn"`
	Protocol       string  `json:"protocol"`
	Presented      bool    `json:"presented"`
	Subject        string  `json:"subject,omitempty"`
	Verified       bool    `json:"verified"`
	VerifiedChains int     `json:"verifiedChains"`
}

func answer(w http.ResponseWriter, r *http.Request, mode string) {
	_, _ = io.Copy(io.Discard, r.Body)
	seen := view{Engine: "go", Mode: mode, Protocol: r.Proto}
	if state := r.TLS; state != nil {
		seen.TLSVersion = versionName(state.Version)
		if state.NegotiatedProtocol != "" {
			seen.ALPN = &state.NegotiatedProtocol
		}
		seen.Presented = len(state.PeerCertificates) > 0
		if seen.Presented {
			seen.Subject = state.PeerCertificates[0].Subject.String()
		}
		seen.VerifiedChains = len(state.VerifiedChains)
		seen.Verified = seen.VerifiedChains > 0
	}
	body, _ := json.Marshal(seen)
	if r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
		answerGrpc(w, r, body)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(body, '\n'))
}

// answerGrpc answers a unary gRPC call: the health check SERVING, anything else UNIMPLEMENTED.
func answerGrpc(w http.ResponseWriter, r *http.Request, seen []byte) {
	header := w.Header()
	header.Set("Content-Type", "application/grpc")
	header.Set("Trailer", "Grpc-Status, Grpc-Message, X-Mtls-Lab-View")
	w.WriteHeader(http.StatusOK)
	if r.URL.Path == "/grpc.health.v1.Health/Check" {
		// One uncompressed message: flag 0, 4-byte big-endian length, the message.
		_, _ = w.Write(append([]byte{0, 0, 0, 0, byte(len(serving))}, serving...))
		header.Set("Grpc-Status", "0")
	} else {
		header.Set("Grpc-Status", "12")
		header.Set("Grpc-Message", "only grpc.health.v1.Health/Check is served")
	}
	header.Set("X-Mtls-Lab-View", string(seen))
}

func versionName(version uint16) string {
	switch version {
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return fmt.Sprintf("0x%04x", version)
}

func loadCRLs(path string) ([]*x509.RevocationList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var crls []*x509.RevocationList
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "X509 CRL" {
			continue
		}
		crl, err := x509.ParseRevocationList(block.Bytes)
		if err != nil {
			return nil, err
		}
		crls = append(crls, crl)
	}
	if len(crls) == 0 {
		return nil, errors.New("no PEM CRL in " + path)
	}
	return crls, nil
}

// checkRevocation accepts a client when one of its verified chains has no revoked
// certificate. Without verified chains (the modes that do not verify) there is nothing to check.
func checkRevocation(crls []*x509.RevocationList) func([][]byte, [][]*x509.Certificate) error {
	return func(_ [][]byte, chains [][]*x509.Certificate) error {
		var refused error
		for _, chain := range chains {
			if refused = chainRevocation(chain, crls); refused == nil {
				return nil
			}
		}
		return refused
	}
}

// chainRevocation checks every certificate of the chain but its anchor against its issuer's CRL.
func chainRevocation(chain []*x509.Certificate, crls []*x509.RevocationList) error {
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		crl := currentCRL(issuer, crls)
		if crl == nil {
			return fmt.Errorf("no current CRL of %s to check %s against", issuer.Subject, cert.Subject)
		}
		for _, revoked := range crl.RevokedCertificates {
			if revoked.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				return fmt.Errorf("certificate %s is revoked", cert.Subject)
			}
		}
	}
	return nil
}

// currentCRL is the issuer's CRL: named for it, signed by it, and within its update window.
func currentCRL(issuer *x509.Certificate, crls []*x509.RevocationList) *x509.RevocationList {
	now := time.Now()
	for _, crl := range crls {
		if !bytes.Equal(crl.RawIssuer, issuer.RawSubject) || crl.CheckSignatureFrom(issuer) != nil {
			continue
		}
		if now.Before(crl.ThisUpdate) || (!crl.NextUpdate.IsZero() && now.After(crl.NextUpdate)) {
			continue
		}
		return crl
	}
	return nil
}
