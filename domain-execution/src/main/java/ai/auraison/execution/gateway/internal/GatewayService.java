package ai.auraison.execution.gateway.internal;

import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import ai.auraison.execution.gateway.GatewayException.Kind;
import ai.auraison.execution.gateway.GatewayMetrics;
import ai.auraison.execution.gateway.GatewayProperties;
import ai.auraison.execution.gateway.ModelCallRecord;
import ai.auraison.execution.gateway.spi.GatewayCallerResolver;
import ai.auraison.execution.gateway.spi.GatewayCallerResolver.RequestHeaders;
import ai.auraison.execution.gateway.spi.ModelCallSink;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * One model call from receipt to accounting: caller, validation, plan, rate limit, cache, budget reservation, the
 * attempts (timeouts, retries with backoff and jitter, circuit breakers, fallback), the relay of the answer as it
 * arrives (translated when the provider speaks the other format), and the record every admitted call produces.
 * Runs on the request's (virtual) thread; blocking is intended. Thread-safe.
 */
final class GatewayService {

    private static final Logger log = LoggerFactory.getLogger(GatewayService.class);
    private static final Logger payloads = LoggerFactory.getLogger("ai.auraison.execution.gateway.payloads");

    private final GatewayProperties properties;
    private final Router router;
    private final UpstreamClient client;
    private final StreamWatchdog watchdog;
    private final DeploymentHealth health;
    private final ResponseCache cache;
    private final RateLimits rateLimits;
    private final BudgetGate budget;
    private final GatewayCallerResolver resolver;
    private final List<ModelCallSink> sinks;
    private final GatewayMetrics metrics;
    private final ObservationRegistry observations;

    GatewayService(
            GatewayProperties properties,
            Router router,
            UpstreamClient client,
            StreamWatchdog watchdog,
            DeploymentHealth health,
            ResponseCache cache,
            RateLimits rateLimits,
            BudgetGate budget,
            GatewayCallerResolver resolver,
            List<ModelCallSink> sinks,
            GatewayMetrics metrics,
            ObservationRegistry observations) {
        this.properties = properties;
        this.router = router;
        this.client = client;
        this.watchdog = watchdog;
        this.health = health;
        this.cache = cache;
        this.rateLimits = rateLimits;
        this.budget = budget;
        this.resolver = resolver;
        this.sinks = List.copyOf(sinks);
        this.metrics = metrics;
        this.observations = observations;
    }

    // --- the accounting of one call ------------------------------------------------------------------------------

    /** Mutable state of one call, turned into a {@link ModelCallRecord} at the end. */
    private static final class Call {
        final UUID id = fastRandomUuid();
        final Instant startedAt = Instant.now();
        final long startNanos = System.nanoTime();
        final ApiFormat api;
        GatewayCaller caller;
        ChatRequest request;
        CallOptions options;
        Plan plan;
        Plan.Step servedBy;
        int stepIndex = -1;
        String servedModel;
        Usage usage = Usage.NONE;
        Long ttftMs;
        boolean cacheHit;
        int retries;
        boolean centralFailed;
        String outcome = "ok";
        int status = 200;
        String errorType;
        List<PolicyDecision> decisions = List.of();

        Call(ApiFormat api) {
            this.api = api;
        }

        boolean attempted;

        void failed(GatewayException e) {
            outcome = !attempted && e.kind().status() < 500 ? "rejected" : "error";
            status = e.kind().status();
            errorType = e.code() != null ? e.code() : e.kind().name().toLowerCase(Locale.ROOT);
        }
    }

    /** A random (version 4) UUID from a fast generator: call ids need uniqueness, not unpredictability. */
    static UUID fastRandomUuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** What one successful attempt left: the step, and either the whole body or the open stream. */
    private record Answer(
            Plan.Step step,
            int stepIndex,
            byte[] body,
            StreamWatchdog.Watched watched,
            CircuitBreaker breaker,
            long attemptStart) {}

    // --- entry points ------------------------------------------------------------------------------------------

    void chat(ApiFormat api, HttpServletRequest httpRequest, HttpServletResponse response) throws IOException {
        Call call = new Call(api);
        RequestHeaders headers = httpRequest::getHeader;
        Observation observation = Observation.createNotStarted("auraison.gateway.model.call", observations)
                .lowCardinalityKeyValue("gen_ai.operation.name", "chat")
                .lowCardinalityKeyValue("auraison.gateway.api", api.wireName());
        try {
            call.caller = resolver.resolve(headers);
            call.request =
                    ChatRequest.parse(api, readBody(httpRequest.getInputStream(), httpRequest.getContentLengthLong()));
            call.options = CallOptions.from(headers, properties);
        } catch (GatewayException e) {
            writeError(response, api, e);
            return;
        }
        observation
                .contextualName("chat " + call.request.model())
                .highCardinalityKeyValue("gen_ai.request.model", call.request.model())
                .start();
        response.setHeader("cf-aig-log-id", call.id.toString());
        Observation.Scope scope = observation.openScope();
        try {
            serve(call, headers, response);
        } catch (GatewayException e) {
            call.failed(e);
            if (!response.isCommitted()) writeError(response, api, e);
        } catch (ClientStream.ClientGoneException e) {
            call.outcome = "client_disconnected";
            call.errorType = "client_disconnected";
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("model call {} failed unexpectedly, incident {}", call.id, incident, e);
            GatewayException internal = new GatewayException(
                    Kind.INTERNAL, "internal_error", "The gateway failed unexpectedly; incident " + incident);
            call.failed(internal);
            if (!response.isCommitted()) writeError(response, api, internal);
        } finally {
            scope.close();
            complete(call, observation);
        }
    }

    void models(HttpServletRequest httpRequest, HttpServletResponse response, String single) throws IOException {
        ApiFormat api = httpRequest.getHeader("anthropic-version") != null ? ApiFormat.ANTHROPIC : ApiFormat.OPENAI;
        try {
            resolver.resolve(httpRequest::getHeader);
        } catch (GatewayException e) {
            writeError(response, api, e);
            return;
        }
        List<String> names = router.modelNames();
        if (single != null && !names.contains(single)) {
            writeError(
                    response,
                    api,
                    new GatewayException(
                            Kind.NOT_FOUND,
                            "model_not_found",
                            "The model '" + single + "' does not exist",
                            "model",
                            0));
            return;
        }
        ObjectNode body;
        if (single != null) {
            body = modelNode(api, single);
        } else {
            body = GatewayJson.object();
            var data = api == ApiFormat.OPENAI ? body.put("object", "list").putArray("data") : body.putArray("data");
            for (String name : names) data.add(modelNode(api, name));
            if (api == ApiFormat.ANTHROPIC) {
                body.put("has_more", false);
                if (names.isEmpty()) body.putNull("first_id").putNull("last_id");
                else body.put("first_id", names.get(0)).put("last_id", names.get(names.size() - 1));
            }
        }
        writeJson(response, 200, GatewayJson.bytes(body));
    }

    private static ObjectNode modelNode(ApiFormat api, String name) {
        return api == ApiFormat.OPENAI
                ? GatewayJson.object()
                        .put("id", name)
                        .put("object", "model")
                        .put("created", 0)
                        .put("owned_by", "auraison")
                : GatewayJson.object()
                        .put("type", "model")
                        .put("id", name)
                        .put("display_name", name)
                        .put("created_at", "1970-01-01T00:00:00Z");
    }

    // --- serving -----------------------------------------------------------------------------------------------

    private void serve(Call call, RequestHeaders headers, HttpServletResponse response) {
        ChatRequest request = call.request;
        call.plan = router.plan(request, call.options, call.caller);
        rateLimits.admit(call.caller);
        String cacheKey = null;
        if (call.options.cacheTtl() != null && !call.options.skipCache()) {
            cacheKey = ResponseCache.key(call.caller.tenant(), call.api, request.raw(), call.options.cacheKey());
            ResponseCache.Entry hit = cache.get(cacheKey);
            if (hit != null && hit.stream() == request.stream()) {
                replay(call, hit, response);
                return;
            }
        }
        Plan.Step first = call.plan.steps().get(0);
        call.decisions = budget.reserve(
                call.caller,
                call.id,
                call.plan.virtualModel(),
                request.estimatedTokensIn(),
                request.maxTokensOut(),
                cost(first, request.estimatedTokensIn(), request.maxTokensOut(), null));
        Answer answer = attempt(call, headers);
        call.servedBy = answer.step();
        call.stepIndex = answer.stepIndex();
        if (request.stream()) relayStream(call, answer, response, cacheKey);
        else relayWhole(call, answer, response, cacheKey);
    }

    private void replay(Call call, ResponseCache.Entry hit, HttpServletResponse response) {
        call.cacheHit = true;
        call.usage = new Usage(hit.tokensIn(), hit.tokensOut());
        call.servedModel = hit.model();
        call.servedBy = new Plan.Step(
                hit.deployment(),
                new Upstream(hit.provider(), call.api, null, Map.of(), false, false),
                hit.model(),
                null);
        response.setStatus(200);
        response.setContentType(hit.stream() ? "text/event-stream" : "application/json");
        if (!hit.stream()) response.setContentLength(hit.body().length);
        commonHeaders(call, response, "HIT", hit.provider(), hit.model(), hit.deployment());
        try {
            response.getOutputStream().write(hit.body());
            response.flushBuffer();
        } catch (IOException e) {
            throw new ClientStream.ClientGoneException(e);
        }
        if (hit.stream()) call.ttftMs = (System.nanoTime() - call.startNanos) / 1_000_000;
    }

    /** Tries the plan's deployments in order until one answers; throws the last failure otherwise. */
    private Answer attempt(Call call, RequestHeaders headers) {
        ChatRequest request = call.request;
        CallOptions options = call.options;
        GatewayException last = null;
        boolean anyTried = false;
        List<Plan.Step> steps = call.plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            Plan.Step step = steps.get(i);
            CircuitBreaker breaker = health.breaker(step.deployment());
            byte[] body = upstreamBody(step, request);
            Map<String, String> extra = upstreamHeaders(call, step, headers);
            Duration timeout =
                    step.upstream().central() ? properties.edge().centralTimeout() : options.requestTimeout();
            int attempts = step.upstream().central() ? 1 : options.maxAttempts();
            for (int attempt = 1; attempt <= attempts; attempt++) {
                if (!breaker.tryAcquirePermission()) {
                    metrics.circuitOpen(step.deployment());
                    last = new GatewayException(
                            Kind.UNAVAILABLE,
                            "circuit_open",
                            "No deployment of '" + call.plan.virtualModel()
                                    + "' is available: circuit breakers are open",
                            null,
                            1);
                    break;
                }
                if (anyTried) call.retries++;
                anyTried = true;
                call.attempted = true;
                long attemptStart = System.nanoTime();
                long retryAfter = 0;
                try {
                    UpstreamResponse upstream = client.send(step.upstream(), body, timeout, extra);
                    int status = upstream.status();
                    if (status == 200) {
                        StreamWatchdog.Watched watched = watchdog.watch(
                                upstream.body(), properties.resilience().streamIdleTimeout());
                        if (request.stream()) return new Answer(step, i, null, watched, breaker, attemptStart);
                        byte[] whole;
                        try (watched) {
                            whole = readBody(watched, contentLength(upstream));
                        } catch (IOException e) {
                            String why = watched.expired() ? "went silent" : "broke: " + e.getMessage();
                            throw new UpstreamFailure("upstream_stream", "the upstream answer " + why);
                        }
                        return new Answer(step, i, whole, null, breaker, attemptStart);
                    }
                    byte[] errorBody = readBounded(upstream.body());
                    retryAfter = retryAfterSeconds(upstream);
                    if (status == 400 || status == 413 || status == 422) {
                        breaker.releasePermission();
                        throw callerError(call.api, step.upstream().format(), status, errorBody);
                    }
                    if (status == 429) {
                        // throttling is flow control, not ill health: honoured through retry-after and fallback,
                        // it does not count towards opening the deployment's breaker
                        breaker.releasePermission();
                    } else {
                        breaker.onError(
                                System.nanoTime() - attemptStart,
                                TimeUnit.NANOSECONDS,
                                new UpstreamFailure("status", "" + status));
                    }
                    health.statistics(step.deployment()).failure();
                    metrics.attemptFailed(step.deployment(), status == 429 ? "429" : (status / 100) + "xx");
                    last = upstreamError(call, step, status, errorBody, retryAfter);
                    if (status == 401 || status == 403 || status == 404 || status == 410)
                        break; // no point retrying here
                } catch (HttpTimeoutException e) {
                    failure(step, breaker, attemptStart, "timeout");
                    last = new GatewayException(
                            Kind.TIMEOUT,
                            "upstream_timeout",
                            "The upstream did not answer within " + timeout.toMillis() + " ms",
                            null,
                            0);
                } catch (UpstreamFailure e) {
                    failure(step, breaker, attemptStart, "broken");
                    last = new GatewayException(Kind.UPSTREAM, e.code, e.getMessage(), null, 0);
                } catch (IOException e) {
                    failure(step, breaker, attemptStart, "connect");
                    last = new GatewayException(
                            Kind.UPSTREAM, "upstream_unreachable", "The upstream could not be reached: " + e, null, 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    breaker.releasePermission();
                    throw new ClientStream.ClientGoneException(new IOException("interrupted", e));
                }
                if (step.upstream().central()) call.centralFailed = true;
                if (attempt < attempts) {
                    long wait = backoffMillis(options, attempt);
                    if (retryAfter * 1000
                            > properties.resilience().maxRetryDelay().toMillis()) break; // fall back now
                    wait = Math.max(wait, retryAfter * 1000);
                    sleep(wait);
                }
            }
            if (step.upstream().central()) call.centralFailed = true;
        }
        throw last != null
                ? last
                : new GatewayException(Kind.UNAVAILABLE, "no_deployment", "No deployment could serve the call");
    }

    private void failure(Plan.Step step, CircuitBreaker breaker, long attemptStart, String reason) {
        breaker.onError(System.nanoTime() - attemptStart, TimeUnit.NANOSECONDS, new IOException(reason));
        health.statistics(step.deployment()).failure();
        metrics.attemptFailed(step.deployment(), reason);
    }

    /** A failure of an upstream read, carried to the attempt loop. */
    private static final class UpstreamFailure extends IOException {
        private static final long serialVersionUID = 1L;
        final String code;

        UpstreamFailure(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static long backoffMillis(CallOptions options, int attempt) {
        long base = options.retryDelay().toMillis();
        long delay = switch (options.backoff()) {
            case CONSTANT -> base;
            case LINEAR -> base * attempt;
            case EXPONENTIAL -> base * (1L << Math.min(attempt - 1, 16));
        };
        // equal jitter: half fixed, half random, so synchronized retries spread out
        return delay / 2 + (delay > 1 ? ThreadLocalRandom.current().nextLong(delay / 2 + 1) : 0);
    }

    private void sleep(long millis) {
        long capped = Math.min(millis, properties.resilience().maxRetryDelay().toMillis());
        if (capped <= 0) return;
        try {
            Thread.sleep(capped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientStream.ClientGoneException(new IOException("interrupted", e));
        }
    }

    private static long retryAfterSeconds(UpstreamResponse upstream) {
        String ms = upstream.header("retry-after-ms");
        if (ms != null) {
            try {
                return Math.max(0, (Long.parseLong(ms.trim()) + 999) / 1000);
            } catch (NumberFormatException e) {
                // try retry-after
            }
        }
        String s = upstream.header("retry-after");
        if (s == null) return 0;
        try {
            return Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return 0; // an HTTP date: not worth waiting for here
        }
    }

    /** Reads a whole body, into an array of the right size when its length is known. */
    private static byte[] readBody(InputStream in, long length) throws IOException {
        if (length < 0 || length > Integer.MAX_VALUE - 16) return in.readAllBytes();
        byte[] body = new byte[(int) length];
        int read = 0;
        while (read < body.length) {
            int n = in.read(body, read, body.length - read);
            if (n < 0) throw new java.io.EOFException("the body ended after " + read + " of " + length + " bytes");
            read += n;
        }
        return body;
    }

    private static long contentLength(UpstreamResponse upstream) {
        String length = upstream.header("content-length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] readBounded(InputStream body) {
        try (body) {
            return body.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static GatewayException callerError(ApiFormat api, ApiFormat upstreamFormat, int status, byte[] body) {
        String message = "The provider refused the request (HTTP " + status + ")";
        try {
            String m = upstreamFormat.errorMessageOf(GatewayJson.MAPPER.readTree(body));
            if (m != null) message = m;
        } catch (JacksonException e) {
            // keep the generic message
        }
        Kind kind = status == 413 ? Kind.REQUEST_TOO_LARGE : Kind.INVALID_REQUEST;
        return new GatewayException(kind, "upstream_rejected_request", message, null, 0);
    }

    private static GatewayException upstreamError(Call call, Plan.Step step, int status, byte[] body, long retryAfter) {
        String detail = "";
        try {
            String m = step.upstream().format().errorMessageOf(GatewayJson.MAPPER.readTree(body));
            if (m != null) detail = ": " + m;
        } catch (JacksonException e) {
            // no detail
        }
        if (status == 429) {
            return new GatewayException(
                    Kind.RATE_LIMITED,
                    "upstream_rate_limited",
                    "The provider of '" + call.plan.virtualModel() + "' is rate limited" + detail,
                    null,
                    Math.max(1, retryAfter));
        }
        if (status == 401 || status == 403) {
            return new GatewayException(
                    Kind.UPSTREAM,
                    "upstream_credentials",
                    "The provider rejected the gateway's credentials (HTTP " + status + ")",
                    null,
                    0);
        }
        return new GatewayException(
                Kind.UPSTREAM, "upstream_error", "The provider answered HTTP " + status + detail, null, 0);
    }

    // --- what goes upstream ------------------------------------------------------------------------------------

    private static byte[] upstreamBody(Plan.Step step, ChatRequest request) {
        boolean needsUsage = request.api() == ApiFormat.OPENAI && request.stream() && !request.includeUsage();
        // central gets the caller's body as it came (model name included), plus the usage request for our record
        if (step.upstream().central() && !needsUsage) return request.raw();
        ObjectNode body;
        if (step.upstream().format() == request.api()) {
            body = request.body();
            body.put("model", step.model());
            if (needsUsage) {
                JsonNode options = body.get("stream_options");
                ObjectNode o = options instanceof ObjectNode existing ? existing : body.putObject("stream_options");
                o.put("include_usage", true);
            }
        } else if (request.api() == ApiFormat.OPENAI) {
            body = Translation.anthropicRequest(request.body(), step.model());
        } else {
            body = Translation.openAiRequest(request.body(), step.model());
        }
        return GatewayJson.bytes(body);
    }

    private Map<String, String> upstreamHeaders(Call call, Plan.Step step, RequestHeaders headers) {
        Map<String, String> extra = new LinkedHashMap<>();
        Upstream upstream = step.upstream();
        if (upstream.format() == ApiFormat.ANTHROPIC && call.api == ApiFormat.ANTHROPIC) {
            String version = headers.get("anthropic-version");
            if (version != null) extra.put("anthropic-version", version);
            String beta = headers.get("anthropic-beta");
            if (beta != null) extra.put("anthropic-beta", beta);
        }
        if (upstream.central()) {
            if (call.caller.runId() != null)
                extra.put("x-auraison-run-id", call.caller.runId().toString());
            forwardPrefixed(headers, extra);
        }
        if (upstream.cloudflare()) {
            // our routing decisions, in Cloudflare's terms: one attempt per try (we retry), our timeout, our cache
            extra.put(
                    "cf-aig-request-timeout",
                    Long.toString(call.options.requestTimeout().toMillis()));
            extra.put("cf-aig-max-attempts", "1");
            if (call.options.skipCache()) extra.put("cf-aig-skip-cache", "true");
            if (call.options.cacheTtl() != null)
                extra.put(
                        "cf-aig-cache-ttl",
                        Long.toString(call.options.cacheTtl().toSeconds()));
            if (call.options.cacheKey() != null) extra.put("cf-aig-cache-key", call.options.cacheKey());
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("tenant", call.caller.tenant().value());
            metadata.put("model", call.plan.virtualModel());
            if (call.caller.runId() != null)
                metadata.put("run", call.caller.runId().toString());
            for (Map.Entry<String, String> e : call.options.metadata().entrySet()) {
                if (metadata.size() >= 5) break;
                metadata.putIfAbsent(e.getKey(), e.getValue());
            }
            ObjectNode node = GatewayJson.object();
            metadata.forEach(node::put);
            extra.put("cf-aig-metadata", node.toString());
            extra.put("cf-aig-event-id", call.id.toString());
            String cost = headers.get("cf-aig-custom-cost");
            if (cost != null) extra.put("cf-aig-custom-cost", cost);
            if (!call.options.collectLog()) extra.put("cf-aig-collect-log", "false");
        }
        return extra;
    }

    private static void forwardPrefixed(RequestHeaders headers, Map<String, String> extra) {
        for (String name : FORWARDED_TO_CENTRAL) {
            String value = headers.get(name);
            if (value != null) extra.put(name, value);
        }
    }

    private static final List<String> FORWARDED_TO_CENTRAL = List.of(
            "cf-aig-cache-ttl",
            "cf-aig-skip-cache",
            "cf-aig-cache-key",
            "cf-aig-request-timeout",
            "cf-aig-max-attempts",
            "cf-aig-retry-delay",
            "cf-aig-backoff",
            "cf-aig-metadata",
            "cf-aig-custom-cost",
            "cf-aig-collect-log",
            "x-auraison-optimize",
            "x-auraison-min-quality",
            "x-auraison-max-latency-ms",
            "x-auraison-max-cost-per-mtok",
            "anthropic-version",
            "anthropic-beta");

    // --- relaying answers --------------------------------------------------------------------------------------

    private void relayWhole(Call call, Answer answer, HttpServletResponse response, String cacheKey) {
        ApiFormat upstreamFormat = answer.step().upstream().format();
        byte[] out;
        try {
            if (upstreamFormat == call.api) {
                // passed on unchanged: read only the model and the usage, without building a tree
                out = answer.body();
                scanModelAndUsage(call, upstreamFormat, out);
            } else {
                JsonNode tree = GatewayJson.MAPPER.readTree(answer.body());
                ObjectNode translated;
                if (call.api == ApiFormat.OPENAI) {
                    translated = Translation.openAiCompletion(tree);
                    call.usage = Usage.ofAnthropic(tree.get("usage"), Usage.NONE);
                } else {
                    translated = Translation.anthropicMessage(tree);
                    call.usage = Usage.ofOpenAi(tree.get("usage"), Usage.NONE);
                }
                if (tree.path("model").isString())
                    call.servedModel = tree.path("model").stringValue();
                out = GatewayJson.bytes(translated);
            }
        } catch (JacksonException | GatewayException e) {
            answer.breaker().onError(System.nanoTime() - answer.attemptStart(), TimeUnit.NANOSECONDS, e);
            throw new GatewayException(
                    Kind.UPSTREAM, "upstream_malformed", "The provider's answer is not a JSON object");
        }
        if (call.servedModel == null) call.servedModel = answer.step().model();
        answer.breaker().onSuccess(System.nanoTime() - answer.attemptStart(), TimeUnit.NANOSECONDS);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(out.length);
        commonHeaders(
                call,
                response,
                "MISS",
                answer.step().upstream().name(),
                call.servedModel,
                answer.step().deployment());
        try {
            response.getOutputStream().write(out);
        } catch (IOException e) {
            throw new ClientStream.ClientGoneException(e);
        }
        if (cacheKey != null && out.length <= properties.cache().maxEntrySize().toBytes()) {
            cache.put(cacheKey, entry(call, answer, out, false));
        }
    }

    /** Reads one value in the middle of a document (the default refuses the tokens that follow it). */
    private static final ObjectReader EMBEDDED_TREE =
            GatewayJson.MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static void scanModelAndUsage(Call call, ApiFormat format, byte[] body) {
        try (JsonParser parser = GatewayJson.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT)
                throw new GatewayException(
                        Kind.UPSTREAM, "upstream_malformed", "The provider's answer is not a JSON object");
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
                    call.servedModel = parser.getString();
                } else if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                    JsonNode usage = EMBEDDED_TREE.readValue(parser);
                    call.usage = format == ApiFormat.OPENAI
                            ? Usage.ofOpenAi(usage, Usage.NONE)
                            : Usage.ofAnthropic(usage, Usage.NONE);
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private ResponseCache.Entry entry(Call call, Answer answer, byte[] body, boolean stream) {
        return new ResponseCache.Entry(
                body,
                stream,
                answer.step().deployment(),
                call.servedModel,
                answer.step().upstream().name(),
                call.usage.in(),
                call.usage.out(),
                call.options.cacheTtl());
    }

    private void relayStream(Call call, Answer answer, HttpServletResponse response, String cacheKey) {
        ApiFormat upstreamFormat = answer.step().upstream().format();
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setHeader("cache-control", "no-cache");
        response.setHeader("x-accel-buffering", "no");
        commonHeaders(
                call,
                response,
                "MISS",
                answer.step().upstream().name(),
                answer.step().model(),
                answer.step().deployment());
        ClientStream out;
        try {
            out = new ClientStream(
                    response.getOutputStream(),
                    call.startNanos,
                    cacheKey == null ? 0 : properties.cache().maxEntrySize().toBytes());
        } catch (IOException e) {
            throw new ClientStream.ClientGoneException(e);
        }
        StreamRelay relay;
        if (upstreamFormat == call.api) relay = new PassthroughRelay(out, call.api, call.request.includeUsage());
        else if (call.api == ApiFormat.OPENAI)
            relay = new AnthropicToOpenAiRelay(out, answer.step().model(), call.request.includeUsage());
        else relay = new OpenAiToAnthropicRelay(out, answer.step().model());
        StreamWatchdog.Watched watched = answer.watched();
        SseReader reader = new SseReader(watched);
        boolean healthy = false;
        try {
            SseReader.SseEvent event;
            while ((event = reader.next()) != null) {
                relay.onEvent(event);
                if (relay.upstreamError() != null) {
                    if (!(relay instanceof PassthroughRelay))
                        relay.fail(Kind.UPSTREAM, "The provider reported: " + relay.upstreamError());
                    break;
                }
                if (!reader.hasBuffered()) out.flush();
            }
            if (relay.upstreamError() != null) {
                call.outcome = "error";
                call.errorType = "upstream_stream_error";
            } else if (relay.completed()) {
                relay.finish();
                healthy = true;
            } else {
                relay.fail(Kind.UPSTREAM, "The provider's stream ended before it was complete");
                call.outcome = "error";
                call.errorType = "upstream_stream_broken";
            }
        } catch (IOException e) {
            boolean silent = watched.expired();
            relay.fail(
                    silent ? Kind.TIMEOUT : Kind.UPSTREAM,
                    silent
                            ? "The provider sent nothing for "
                                    + properties
                                            .resilience()
                                            .streamIdleTimeout()
                                            .toMillis() + " ms"
                            : "The provider's stream broke: " + e.getMessage());
            call.outcome = "error";
            call.errorType = silent ? "upstream_stream_idle" : "upstream_stream_broken";
        } catch (ClientStream.ClientGoneException e) {
            closeQuietly(watched); // cancels the upstream request
            answer.breaker().releasePermission();
            call.usage = relay.usage();
            call.ttftMs = out.ttftMillis();
            throw e;
        }
        closeQuietly(watched);
        out.flush();
        call.usage = relay.usage();
        call.servedModel = relay.servedModel() != null
                ? relay.servedModel()
                : answer.step().model();
        call.ttftMs = out.ttftMillis();
        long elapsed = System.nanoTime() - answer.attemptStart();
        if (healthy) {
            answer.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
            byte[] captured = out.captured();
            if (cacheKey != null && captured != null) cache.put(cacheKey, entry(call, answer, captured, true));
        } else {
            answer.breaker().onError(elapsed, TimeUnit.NANOSECONDS, new IOException(call.errorType));
            health.statistics(answer.step().deployment()).failure();
            metrics.attemptFailed(answer.step().deployment(), "stream");
            call.status = 200;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the upstream is going away either way
        }
    }

    private void commonHeaders(
            Call call,
            HttpServletResponse response,
            String cacheStatus,
            String provider,
            String model,
            String deployment) {
        String id = call.id.toString();
        response.setHeader("cf-aig-cache-status", cacheStatus);
        response.setHeader("cf-aig-log-id", id);
        response.setHeader("cf-aig-request-id", id);
        response.setHeader("cf-aig-event-id", id);
        if (call.stepIndex >= 0) response.setHeader("cf-aig-step", Integer.toString(call.stepIndex));
        if (model != null) response.setHeader("cf-aig-model", model);
        if (provider != null) response.setHeader("cf-aig-provider", provider);
        if (deployment != null) response.setHeader("x-auraison-deployment", deployment);
        if (call.plan != null && call.plan.selectionReason() != null) {
            response.setHeader("x-auraison-selection-reason", ascii(call.plan.selectionReason()));
        }
    }

    private static String ascii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) b.append(c >= 0x20 && c < 0x7f ? c : '?');
        return b.toString();
    }

    private static void writeError(HttpServletResponse response, ApiFormat api, GatewayException e) {
        if (e.retryAfterSeconds() > 0) response.setHeader("retry-after", Long.toString(e.retryAfterSeconds()));
        writeJson(response, e.kind().status(), api.errorBody(e));
    }

    private static void writeJson(HttpServletResponse response, int status, byte[] body) {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException e) {
            // the caller went away; nothing to tell it
        }
    }

    // --- accounting --------------------------------------------------------------------------------------------

    private void complete(Call call, Observation observation) {
        long latencyMs = (System.nanoTime() - call.startNanos) / 1_000_000;
        Plan.Step served = call.servedBy;
        BigDecimal cost = call.cacheHit || served == null
                ? BigDecimal.ZERO
                : cost(served, call.usage.in(), call.usage.out(), call.options.customCost());
        boolean degraded =
                call.centralFailed && served != null && !served.upstream().central() && !call.cacheHit;
        ModelCallRecord record = new ModelCallRecord(
                call.id,
                call.startedAt,
                call.caller.tenant(),
                call.caller.keyId(),
                call.caller.runId(),
                call.api.wireName(),
                call.request.model(),
                served == null ? null : served.deployment(),
                served == null ? null : call.servedModel,
                served == null ? null : served.upstream().name(),
                call.request.stream(),
                call.usage.in(),
                call.usage.out(),
                cost,
                call.ttftMs,
                latencyMs,
                call.cacheHit,
                call.retries,
                call.stepIndex > 0 && !call.cacheHit,
                degraded,
                call.outcome,
                call.status,
                call.errorType,
                call.plan == null ? null : call.plan.selectionReason(),
                call.options.metadata(),
                call.decisions);
        if (served != null && "ok".equals(call.outcome) && !call.cacheHit) {
            health.statistics(served.deployment()).success(latencyMs, call.ttftMs);
            if (call.plan.selectionReason() != null) metrics.selected(served.deployment());
        }
        if (!call.decisions.isEmpty()) {
            budget.settle(
                    call.caller, call.id, call.request.model(), call.usage.in(), call.usage.out(), cost, call.outcome);
        }
        if (!call.cacheHit) rateLimits.tokensUsed(call.caller, call.usage.in() + call.usage.out());
        metrics.callCompleted(record);
        observation.lowCardinalityKeyValue(
                "gen_ai.provider.name",
                served == null ? "none" : served.upstream().name());
        observation.lowCardinalityKeyValue("auraison.gateway.outcome", call.outcome);
        observation.lowCardinalityKeyValue("auraison.gateway.cache", call.cacheHit ? "hit" : "miss");
        if (served != null)
            observation.highCardinalityKeyValue("gen_ai.response.model", String.valueOf(call.servedModel));
        observation.highCardinalityKeyValue("gen_ai.usage.input_tokens", Long.toString(call.usage.in()));
        observation.highCardinalityKeyValue("gen_ai.usage.output_tokens", Long.toString(call.usage.out()));
        observation.highCardinalityKeyValue("auraison.gateway.call_id", call.id.toString());
        if (call.errorType != null) observation.lowCardinalityKeyValue("error.type", call.errorType);
        observation.stop();
        if (properties.logPayloadTenants().contains(call.caller.tenant().value()) && call.options.collectLog()) {
            payloads.debug(
                    "call {} tenant {} request {}",
                    call.id,
                    call.caller.tenant(),
                    new String(call.request.raw(), StandardCharsets.UTF_8));
        }
        for (ModelCallSink sink : sinks) {
            try {
                sink.accept(record);
            } catch (RuntimeException e) {
                log.warn(
                        "model call sink {} failed on call {}: {}",
                        sink.getClass().getName(),
                        call.id,
                        e.toString());
            }
        }
    }

    static BigDecimal cost(Plan.Step step, long in, long out, CallOptions.CustomCost custom) {
        if (custom != null) {
            if (custom.total() != null) return custom.total();
            return custom.perTokenIn()
                    .multiply(BigDecimal.valueOf(in))
                    .add(custom.perTokenOut().multiply(BigDecimal.valueOf(out)))
                    .stripTrailingZeros();
        }
        if (step.config() == null) return BigDecimal.ZERO;
        return step.config()
                .inputPricePerMillion()
                .multiply(BigDecimal.valueOf(in))
                .add(step.config().outputPricePerMillion().multiply(BigDecimal.valueOf(out)))
                .divide(BigDecimal.valueOf(1_000_000), 9, RoundingMode.HALF_UP)
                .stripTrailingZeros();
    }
}
