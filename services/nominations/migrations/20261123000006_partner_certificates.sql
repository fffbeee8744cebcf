-- A partner connecting to the mutual TLS port is whoever presents the client certificate
-- with this SHA-256 fingerprint (of its DER bytes, in hex).
ALTER TABLE partners ADD COLUMN certificate_sha256 text UNIQUE;
