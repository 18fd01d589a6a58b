package ai.auraison.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.testfixtures.Peers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An S3-compatible object store on loopback for the DuckLake-on-S3 tests: moto's server from the project-local
 * virtualenv (R2 and RustFS speak the same API; neither is reachable or installable here). What DuckDB writes is listed
 * back with boto3, AWS's own SDK, so the store's shape is the real API's.
 */
final class S3Peer implements AutoCloseable {

    static final String KEY = "test-key";
    static final String SECRET = "test-secret";
    static final String REGION = "us-east-1";

    private final Process process;
    private final int port;

    private S3Peer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server and creates {@code bucket}. */
    static S3Peer start(String bucket) throws Exception {
        Path server = Peers.require(
                Peers.home().resolve("venv/bin/moto_server"), "moto's S3 server in .peers/venv (tools/peers)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        S3Peer peer = new S3Peer(p, port);
        // and not the test JVM either, however the tests end
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest createBucket = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> created = await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> http.send(createBucket, HttpResponse.BodyHandlers.ofString()), r -> true);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            return peer;
        } catch (Exception | AssertionError e) {
            // whatever went wrong (Awaitility rethrows checked exceptions as they are), the server does not outlive it
            peer.close();
            throw e;
        }
    }

    /** The endpoint as DuckDB's S3 secret takes it (host:port). */
    String endpoint() {
        return "127.0.0.1:" + port;
    }

    /** The object store settings of a DuckLake whose data lives in this server. */
    MemoryStore.ObjectStore store() {
        return new MemoryStore.ObjectStore(endpoint(), REGION, KEY, SECRET, false, true);
    }

    /** The keys under {@code prefix} in {@code bucket}, listed with boto3. */
    List<String> keys(String bucket, String prefix) throws Exception {
        String script = "import boto3,sys\n"
                + "s3=boto3.client('s3',endpoint_url='http://" + endpoint() + "',aws_access_key_id='" + KEY
                + "',aws_secret_access_key='" + SECRET + "',region_name='" + REGION + "')\n"
                + "pages=s3.get_paginator('list_objects_v2').paginate(Bucket='" + bucket + "',Prefix='" + prefix
                + "')\n"
                + "[print(o['Key']) for page in pages for o in page.get('Contents',[])]\n";
        Process p = new ProcessBuilder(Peers.python().toString(), "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
