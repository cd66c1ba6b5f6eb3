// mtls-lab's `jvm` engine: a JDK (JSSE) HTTPS server, the TLS stack of Akka gRPC and most JVM
// services, configured the way JVM users configure it: the server's key and certificate come
// from a PKCS#12 keystore and the CA it trusts for client certificates from a PKCS#12
// truststore, both loaded through KeyManagerFactory and TrustManagerFactory. Run by the
// source launcher, with no build step (it needs a JDK: the launcher compiles with jdk.compiler):
//
//   java JsseServer.java KEYSTORE TRUSTSTORE PASSWORD none|want|need 1.2|1.3|both PORT [CRLS]
//
// none: no CertificateRequest. want: setWantClientAuth(true), asks and verifies what is sent.
// need: setNeedClientAuth(true), asks, requires and verifies. With CRLS (a PEM file of CRLs)
// the trust manager checks revocation of every certificate of the client's chain against them
// (PKIX with a Collection CertStore; nothing is fetched).
//
// It binds 127.0.0.1:PORT (0: any free port) and prints "LISTENING <port>" once it accepts.
// Every request is answered 200 with what JSSE saw, as one line of JSON: the negotiated TLS
// version and the client's certificate subject, or none.
// The HttpServer keeps its default executor: one dispatcher thread does every handshake and
// exchange in turn, as a plain JDK server does.
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

public class JsseServer {
  private static final String USAGE =
      "usage: java JsseServer.java KEYSTORE TRUSTSTORE PASSWORD none|want|need 1.2|1.3|both PORT [CRLS]";

  public static void main(String[] args) throws Exception {
    if (args.length != 6 && args.length != 7) {
      System.err.println(USAGE);
      System.exit(2);
    }
    char[] password = args[2].toCharArray();
    String clientAuth = args[3];
    if (!clientAuth.matches("none|want|need")) {
      throw new IllegalArgumentException("client auth must be none, want or need: " + clientAuth);
    }
    String[] protocols = switch (args[4]) {
      case "1.2" -> new String[] {"TLSv1.2"};
      case "1.3" -> new String[] {"TLSv1.3"};
      case "both" -> new String[] {"TLSv1.3", "TLSv1.2"};
      default -> throw new IllegalArgumentException("tls must be 1.2, 1.3 or both: " + args[4]);
    };
    int port = Integer.parseInt(args[5]);

    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(load(args[0], password), password);
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    KeyStore trusted = load(args[1], password);
    if (args.length == 7) {
      // Revocation as JSSE does it: PKIX parameters with revocation enabled and the CRLs in a
      // CertStore. Without them (the default) JSSE checks no revocation at all.
      PKIXBuilderParameters pkix = new PKIXBuilderParameters(trusted, new X509CertSelector());
      pkix.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls(args[6]))));
      pkix.setRevocationEnabled(true);
      trust.init(new CertPathTrustManagerParameters(pkix));
    } else {
      trust.init(trusted);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters ssl = context.getDefaultSSLParameters();
        ssl.setProtocols(protocols);
        // need implies want, and setting one clears the other, so only one is set.
        if (clientAuth.equals("need")) ssl.setNeedClientAuth(true);
        else if (clientAuth.equals("want")) ssl.setWantClientAuth(true);
        params.setSSLParameters(ssl);
      }
    });
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      SSLSession session = ((HttpsExchange) exchange).getSSLSession();
      byte[] bytes = (view(session, clientAuth) + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    System.out.println("LISTENING " + server.getAddress().getPort());
    System.out.flush();
  }

  private static KeyStore load(String path, char[] password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(path)) {
      store.load(in, password);
    }
    return store;
  }

  private static Collection<? extends CRL> crls(String path) throws Exception {
    try (InputStream in = new FileInputStream(path)) {
      return CertificateFactory.getInstance("X.509").generateCRLs(in);
    }
  }

  /** What JSSE saw of the connection. A certificate JSSE accepted in want or need was verified. */
  private static String view(SSLSession session, String clientAuth) {
    StringBuilder json = new StringBuilder("{\"engine\":\"jvm\",\"clientAuth\":\"").append(clientAuth).append('"');
    json.append(",\"tlsVersion\":").append(quote(session.getProtocol()));
    try {
      X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
      json.append(",\"presented\":true,\"subject\":").append(quote(leaf.getSubjectX500Principal().getName()));
      json.append(",\"verified\":").append(!clientAuth.equals("none"));
    } catch (SSLPeerUnverifiedException none) {
      json.append(",\"presented\":false");
    }
    return json.append('}').toString();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
