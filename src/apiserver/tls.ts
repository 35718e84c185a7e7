// The apiserver's serving certificates, after kubeadm's certs phase: a cluster
// CA ("kubernetes") and a serving certificate it signs for the addresses
// kubectl dials. kubectl sends its bearer token only over TLS, so the endpoint
// it talks to must be HTTPS with a CA the kubeconfig carries.
// Leaves out: client certificates, front-proxy and etcd CAs, rotation.

import { createPrivateKey, generateKeyPair, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface ServingCertificate {
  certPem: string;
  keyPem: string;
  /** The CA that signed it, for the kubeconfig's certificate-authority-data. */
  caPem: string;
}

export interface CertOptions {
  /** Wall-clock time (ms) the certificate becomes valid; TLS peers check real time, not cluster time. */
  wallClockMs: number;
  /** Validity in days (kubeadm: CA 10 years, serving cert 1 year). */
  days?: number;
  /** The certificate's RSA private key (PKCS#1 PEM), e.g. from generateKeyPem; default: a new one. */
  keyPem?: string;
}

const DAY = 24 * 3600 * 1000;

// RSA keys come from node:crypto (native, 50–300 ms) rather than forge's
// pure-JS generator (seconds), and node:crypto signs too (forge's pure-JS RSA
// signature costs ~100 ms); forge only lays out the X.509 structure.
function newKeyPair(given?: string): { publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const keyPem = given ?? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const priv = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { publicKey: pub, keyPem };
}

/**
 * A new RSA 2048 key (PKCS#1 PEM), generated on libuv's thread pool: a server
 * starting up makes its keys while the main thread loads lessons.
 */
export function generateKeyPem(): Promise<string> {
  return new Promise((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }, (err, _pub, priv) =>
      err ? reject(err) : resolve(priv),
    ),
  );
}

/** Signs cert with the PEM key natively: sha256WithRSAEncryption over the TBSCertificate. */
function signNative(cert: forge.pki.Certificate, keyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  // getTBSCertificate exists in node-forge but is missing from its type definitions.
  const pki = forge.pki as typeof forge.pki & { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  const tbs = forge.asn1.toDer(pki.getTBSCertificate(cert)).getBytes();
  const sig = sign("sha256", Buffer.from(tbs, "binary"), createPrivateKey(keyPem));
  cert.signature = sig.toString("binary");
}

/** forge writes PEM with CRLF line ends; openssl and kubeadm write LF. */
function pem(cert: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, "\n");
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive, as RFC 5280 requires
  return bytes.toString("hex");
}

function validity(cert: forge.pki.Certificate, opts: CertOptions, defaultDays: number): void {
  // A minute of slack for clients whose clock is slightly behind.
  cert.validity.notBefore = new Date(opts.wallClockMs - 60_000);
  cert.validity.notAfter = new Date(opts.wallClockMs + (opts.days ?? defaultDays) * DAY);
}

/** A new cluster CA with CN "kubernetes", as kubeadm's ca.crt. */
export function createCA(opts: CertOptions): CertificateAuthority {
  const keys = newKeyPair(opts.keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert, opts, 3650);
  const subject = [{ name: "commonName", value: "kubernetes" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  signNative(cert, keys.keyPem);
  return { certPem: pem(cert), keyPem: keys.keyPem };
}

/**
 * A serving certificate signed by ca, valid for the given host names and IP
 * addresses (kubeadm's apiserver.crt: CN kube-apiserver, SANs kubernetes,
 * kubernetes.default…, the service IP and the node address).
 */
export function issueServingCert(ca: CertificateAuthority, hosts: string[], opts: CertOptions): ServingCertificate {
  const keys = newKeyPair(opts.keyPem);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert, opts, 365);
  cert.setSubject([{ name: "commonName", value: "kube-apiserver" }]);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    { name: "subjectAltName", altNames },
  ]);
  signNative(cert, ca.keyPem);
  return { certPem: pem(cert), keyPem: keys.keyPem, caPem: ca.certPem };
}

/** The default SANs: loopback names kubectl on this machine dials, plus kubeadm's service names. */
export const DEFAULT_SERVING_HOSTS = ["127.0.0.1", "localhost", "::1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.96.0.1"];
