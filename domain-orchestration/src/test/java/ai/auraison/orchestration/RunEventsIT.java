package ai.auraison.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class RunEventsIT extends OrchestrationITBase {

    /** A dispatched run: its id, its agent, and the seq its agent must use next. */
    record Dispatched(String runId, String agent, String intentId, long nextSeq) {}

    private Dispatched dispatched() {
        String agent = newMazeAgent();
        String runId = submitFor(agent, "acme");
        JsonNode item = poll(agent, 1, 5).get(0);
        return new Dispatched(
                runId,
                agent,
                item.get("intent").get("intentId").asString(),
                item.get("nextSeq").asLong());
    }

    private static AgentEvent started(Dispatched d, long seq) {
        return new AgentEvent.RunStarted(
                EventId.random(),
                RunId.of(d.runId()),
                seq,
                Instant.now(),
                null,
                SchemaVersions.CURRENT,
                AgentId.of(d.agent()),
                IntentId.of(d.intentId()),
                1,
                "pi",
                null);
    }

    private static AgentEvent turn(Dispatched d, long seq, int turn) {
        return new AgentEvent.TurnStarted(
                EventId.random(), RunId.of(d.runId()), seq, Instant.now(), null, SchemaVersions.CURRENT, turn);
    }

    private static AgentEvent succeeded(Dispatched d, long seq) {
        return new AgentEvent.RunSucceeded(
                EventId.random(),
                RunId.of(d.runId()),
                seq,
                Instant.now(),
                null,
                SchemaVersions.CURRENT,
                "solved",
                Map.of());
    }

    private HttpJson.Response post(Dispatched d, AgentEvent e) {
        return api.post("/api/v1/runs/" + d.runId() + "/events", ContractJson.write(e));
    }

    @Test
    void appliesEventsInOrderAndAcceptsDuplicatesWithoutApplyingThemTwice() {
        Dispatched d = dispatched();
        AgentEvent start = started(d, d.nextSeq());
        assertThat(post(d, start).json().get("status").asString()).isEqualTo("accepted");
        assertThat(post(d, start).json().get("status").asString()).isEqualTo("duplicate");
        assertThat(run(d.runId()).get("status").asString()).isEqualTo("running");
        assertThat(run(d.runId()).get("lastSeq").asLong()).isEqualTo(d.nextSeq());
    }

    @Test
    void refusesAnOutOfOrderEventSayingWhichSeqItExpects() {
        Dispatched d = dispatched();
        HttpJson.Response r = post(d, started(d, d.nextSeq() + 2));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.problemType()).isEqualTo("event-out-of-order");
        assertThat(r.json().get("expectedSeq").asLong()).isEqualTo(d.nextSeq());
    }

    @Test
    void refusesAnEventOfAnUnknownRunAndAfterTheRunFinished() {
        Dispatched d = dispatched();
        AgentEvent stray = ContractFixtures.eventsOf(RunId.random())
                .started(AgentId.of(d.agent()), IntentId.of("x-1"))
                .build()
                .getFirst();
        HttpJson.Response unknown = api.post("/api/v1/runs/" + stray.runId() + "/events", ContractJson.write(stray));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo("run-not-found");

        post(d, started(d, d.nextSeq()));
        post(d, succeeded(d, d.nextSeq() + 1));
        HttpJson.Response late = post(d, turn(d, d.nextSeq() + 2, 1));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.problemType()).isEqualTo("run-finished");
    }

    @Test
    void refusesAHarnessEventBeforeTheRunStarted() {
        Dispatched d = dispatched();
        HttpJson.Response r = post(d, turn(d, d.nextSeq(), 1));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.problemType()).isEqualTo("run-illegal-transition");
    }

    @Test
    void refusesAnEventPostedToAnotherRunsPath() {
        Dispatched d = dispatched();
        Dispatched other = dispatched();
        HttpJson.Response r =
                api.post("/api/v1/runs/" + other.runId() + "/events", ContractJson.write(started(d, d.nextSeq())));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.problemType()).isEqualTo("wrong-run");
    }

    @Test
    void ingestsABatchPerRunInSeqOrderWithAResultPerEvent() {
        Dispatched d = dispatched();
        AgentEvent s = started(d, d.nextSeq());
        AgentEvent t = turn(d, d.nextSeq() + 1, 1);
        AgentEvent done = succeeded(d, d.nextSeq() + 2);
        // shuffled and with a duplicate: results come back in request order
        HttpJson.Response r = api.post(
                "/api/v1/events:batch",
                Map.of(
                        "events",
                        List.of(
                                ContractJson.tree(done),
                                ContractJson.tree(s),
                                ContractJson.tree(t),
                                ContractJson.tree(s))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(r.json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(run(d.runId()).get("status").asString()).isEqualTo("succeeded");
        assertThat(poll(d.agent(), 1, 0)).isEmpty();
    }

    @Test
    void createsAnEdgeStartedRunFromItsDeclaration() {
        String agent = newMazeAgent();
        RunId runId = RunId.random();
        List<AgentEvent> events = ContractFixtures.eventsOf(runId)
                .started(AgentId.of(agent), IntentId.of("edge-local-1"))
                .toolCall("move", Map.of("cells", 1), Map.of("moved", 1, "blocked", false))
                .succeeded("done")
                .build();
        HttpJson.Response undeclared = api.post(
                "/api/v1/events:batch",
                Map.of("events", events.stream().map(ContractJson::tree).toList()));
        assertThat(undeclared.json().get("rejected").asInt()).isEqualTo(4);
        assertThat(undeclared.json().get("results").get(0).get("code").asString())
                .isEqualTo("run-not-found");

        HttpJson.Response declared = api.post(
                "/api/v1/events:batch",
                Map.of(
                        "runs",
                                List.of(Map.of(
                                        "runId",
                                        runId.toString(),
                                        "intentId",
                                        "edge-local-1",
                                        "agentId",
                                        agent,
                                        "tenant",
                                        "acme")),
                        "events", events.stream().map(ContractJson::tree).toList()));
        assertThat(declared.json().get("accepted").asInt()).isEqualTo(4);
        JsonNode run = run(runId.toString());
        assertThat(run.get("status").asString()).isEqualTo("succeeded");
        assertThat(run.get("origin").asString()).isEqualTo("edge");
    }

    @Test
    void namesTheFieldOfAnInvalidEventInABatch() {
        Dispatched d = dispatched();
        ObjectNode bad = (ObjectNode) ContractJson.tree(started(d, d.nextSeq()));
        bad.remove("harness");
        HttpJson.Response r =
                api.post("/api/v1/events:batch", Map.of("events", List.of(ContractJson.tree(turn(d, 1, 1)), bad)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("pointer").asString()).isEqualTo("/events/1/harness");
    }

    @Test
    void pagesARunsEvents() {
        Dispatched d = dispatched();
        JsonNode first =
                api.get("/api/v1/runs/" + d.runId() + "/events?limit=2").json();
        assertThat(first.get("items")).hasSize(2);
        long next = first.get("nextAfterSeq").asLong();
        JsonNode rest = api.get("/api/v1/runs/" + d.runId() + "/events?afterSeq=" + next)
                .json();
        assertThat(rest.get("items").get(0).get("seq").asLong()).isEqualTo(next + 1);
    }

    @Test
    void resumesTheLiveStreamAfterLastEventIdWithoutGapsOrDuplicatesAndClosesAtTheEnd() throws Exception {
        Dispatched d = dispatched();
        long seq = d.nextSeq();
        post(d, started(d, seq));
        for (int i = 1; i <= 3; i++) post(d, turn(d, seq + i, i));
        long resumeAfter = seq + 1;

        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + d.runId() + "/events:stream"))
                .header("Last-Event-ID", Long.toString(resumeAfter))
                .header("Accept", "text/event-stream")
                .build();
        CompletableFuture<List<Long>> received = CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<Stream<String>> response =
                        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
                List<Long> ids = new ArrayList<>();
                response.body().forEach(line -> {
                    if (line.startsWith("id:"))
                        ids.add(Long.parseLong(line.substring(3).trim()));
                });
                return ids;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // more events arrive while the client is streaming, then the run ends
        for (int i = 4; i <= 10; i++) post(d, turn(d, seq + i, i));
        post(d, succeeded(d, seq + 11));

        List<Long> ids = received.get(20, TimeUnit.SECONDS);
        List<Long> expected = new ArrayList<>();
        for (long s = resumeAfter + 1; s <= seq + 11; s++) expected.add(s);
        assertThat(ids).containsExactlyElementsOf(expected);
    }

    @Test
    void refusesToStreamAnUnknownRun() {
        HttpJson.Response r = api.get("/api/v1/runs/" + RunId.random() + "/events:stream");
        assertThat(r.status()).isEqualTo(404);
    }
}
