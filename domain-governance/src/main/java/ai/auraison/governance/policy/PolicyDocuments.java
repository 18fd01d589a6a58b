package ai.auraison.governance.policy;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.governance.policy.Conditions.CostRange;
import ai.auraison.governance.policy.Conditions.InputCondition;
import ai.auraison.governance.policy.Conditions.Operator;
import ai.auraison.governance.policy.Conditions.TimeWindow;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;

/**
 * Reads and writes policy sets. The format (YAML, or JSON, which is read the same way):
 *
 * <pre>{@code
 * name: acme-production            # [a-z0-9][a-z0-9._-]*
 * description: optional
 * defaultEffect: allow             # optional: allow | deny | require_approval, when no rule matches
 * rules:
 *   - id: uas.recommend-response-needs-approval
 *     subjects: [tool_call]        # intent | tool_call | model_call
 *     effect: require_approval     # allow | deny | require_approval
 *     reason: a recommended response waits for an operator
 *     when:                        # every condition present must hold; each list is "any of", * is a wildcard
 *       tenants: [acme]
 *       principals: [ops-*]
 *       applications: [counter-uas]
 *       agents: [counter-uas.*]
 *       intentTypes: [uas.*]       # intent rules only
 *       tools: [recommend_response]  # tool_call rules only
 *       models: [claude-*]         # model_call rules only
 *       estimatedCostUsd: {above: 0.5, atMost: 10}   # model_call rules only
 *       input:                     # intent params or tool input, by JSON pointer; one operator each:
 *         - {pointer: /action, in: [jam, intercept]}   # equals, notEquals, in, matches, greaterThan, lessThan, exists
 *       timeWindow: {days: [sat, sun], from: "08:00", to: "18:00", zone: Europe/Berlin}
 * }</pre>
 *
 * <p>Unknown fields are refused (a typo in a policy must not silently widen it). Every refusal is an {@link
 * InvalidPolicyException} naming the rule and the field. Thread-safe.
 */
public final class PolicyDocuments {

    /** The pattern of set names and rule ids. */
    public static final String NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,127}$";

    /** The most rules one set may hold. */
    public static final int MAX_RULES = 10_000;

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Set<String> SET_FIELDS = Set.of("name", "description", "defaultEffect", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("id", "description", "subjects", "effect", "when", "reason");
    private static final Set<String> WHEN_FIELDS = Set.of(
            "tenants",
            "principals",
            "applications",
            "agents",
            "intentTypes",
            "tools",
            "models",
            "input",
            "estimatedCostUsd",
            "timeWindow");
    private static final Map<String, Operator> OPERATORS = Map.of(
            "equals", Operator.EQUALS,
            "notEquals", Operator.NOT_EQUALS,
            "in", Operator.IN,
            "matches", Operator.MATCHES,
            "greaterThan", Operator.GREATER_THAN,
            "lessThan", Operator.LESS_THAN,
            "exists", Operator.EXISTS);

    private PolicyDocuments() {}

    /** Parses a YAML or JSON policy set. */
    public static PolicySet parse(String text) {
        Object root = text.stripLeading().startsWith("{") ? json(text) : yaml(text);
        if (!(root instanceof Map<?, ?> map)) {
            throw new InvalidPolicyException(null, "(document)", "a policy set is an object with name and rules");
        }
        return fromMap(map);
    }

    private static Object json(String text) {
        try {
            return ContractJson.mapper()
                    .readerFor(Map.class)
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readValue(text);
        } catch (JacksonException e) {
            throw new InvalidPolicyException(
                    null,
                    "(document)",
                    "not well-formed JSON"
                            + (e.getLocation() == null
                                    ? ""
                                    : " at line " + e.getLocation().getLineNr()) + ": "
                            + e.getOriginalMessage());
        }
    }

    private static Object yaml(String text) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(4 * 1024 * 1024);
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            throw new InvalidPolicyException(
                    null,
                    "(document)",
                    "not well-formed YAML at line " + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new InvalidPolicyException(null, "(document)", "not well-formed YAML: " + e.getMessage());
        }
    }

    /** Reads a policy set from its map form (what {@link #toMap} writes). */
    public static PolicySet fromMap(Map<?, ?> map) {
        unknown(null, "", map, SET_FIELDS);
        String name = requiredString(null, "name", map.get("name"));
        if (!NAME.matcher(name).matches()) throw new InvalidPolicyException(null, "name", "must match " + NAME_PATTERN);
        String description = optionalString(null, "description", map.get("description"));
        PolicyEffect defaultEffect =
                map.get("defaultEffect") == null ? null : effect(null, "defaultEffect", map.get("defaultEffect"));
        Object rulesNode = map.get("rules");
        if (!(rulesNode instanceof List<?> list)) {
            throw new InvalidPolicyException(null, "rules", "required: a list of rules (possibly empty)");
        }
        if (list.size() > MAX_RULES) {
            throw new InvalidPolicyException(null, "rules", "at most " + MAX_RULES + " rules, got " + list.size());
        }
        List<PolicyRule> rules = new ArrayList<>(list.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            PolicyRule rule = rule(i, list.get(i));
            if (!ids.add(rule.id())) {
                throw new InvalidPolicyException(rule.id(), "rules[" + i + "].id", "duplicate rule id");
            }
            rules.add(rule);
        }
        return new PolicySet(name, description, defaultEffect, rules);
    }

    private static PolicyRule rule(int index, Object node) {
        String path = "rules[" + index + "]";
        String ref = "#" + index;
        if (!(node instanceof Map<?, ?> map)) throw new InvalidPolicyException(ref, path, "a rule is an object");
        if (map.get("id") instanceof String s && NAME.matcher(s).matches()) ref = s;
        unknown(ref, path + ".", map, RULE_FIELDS);
        String id = requiredString(ref, path + ".id", map.get("id"));
        if (!NAME.matcher(id).matches())
            throw new InvalidPolicyException(ref, path + ".id", "must match " + NAME_PATTERN);
        Set<PolicySubjectKind> subjects = subjects(ref, path + ".subjects", map.get("subjects"));
        PolicyEffect effect = effect(ref, path + ".effect", map.get("effect"));
        Conditions when = map.get("when") == null ? Conditions.NONE : when(ref, path + ".when", map.get("when"));
        checkApplicable(ref, path + ".when", subjects, when);
        return new PolicyRule(
                id,
                optionalString(ref, path + ".description", map.get("description")),
                subjects,
                effect,
                when,
                optionalString(ref, path + ".reason", map.get("reason")));
    }

    private static Set<PolicySubjectKind> subjects(String ref, String path, Object node) {
        List<String> names = strings(ref, path, node);
        if (names.isEmpty())
            throw new InvalidPolicyException(ref, path, "required: intent, tool_call and/or model_call");
        Set<PolicySubjectKind> out = EnumSet.noneOf(PolicySubjectKind.class);
        for (String s : names) {
            switch (s) {
                case "intent" -> out.add(PolicySubjectKind.INTENT);
                case "tool_call" -> out.add(PolicySubjectKind.TOOL_CALL);
                case "model_call" -> out.add(PolicySubjectKind.MODEL_CALL);
                default ->
                    throw new InvalidPolicyException(
                            ref, path, "unknown subject " + s + " (intent, tool_call, model_call)");
            }
        }
        return out;
    }

    private static PolicyEffect effect(String ref, String path, Object node) {
        if (node == null) throw new InvalidPolicyException(ref, path, "required: allow, deny or require_approval");
        return switch (String.valueOf(node)) {
            case "allow" -> PolicyEffect.ALLOW;
            case "deny" -> PolicyEffect.DENY;
            case "require_approval" -> PolicyEffect.REQUIRE_APPROVAL;
            default ->
                throw new InvalidPolicyException(
                        ref, path, "unknown effect " + node + " (allow, deny, require_approval)");
        };
    }

    private static Conditions when(String ref, String path, Object node) {
        if (!(node instanceof Map<?, ?> map)) throw new InvalidPolicyException(ref, path, "must be an object");
        unknown(ref, path + ".", map, WHEN_FIELDS);
        List<InputCondition> input = new ArrayList<>();
        if (map.get("input") != null) {
            if (!(map.get("input") instanceof List<?> list)) {
                throw new InvalidPolicyException(ref, path + ".input", "must be a list of conditions");
            }
            for (int i = 0; i < list.size(); i++)
                input.add(inputCondition(ref, path + ".input[" + i + "]", list.get(i)));
        }
        return new Conditions(
                globs(ref, path + ".tenants", map.get("tenants")),
                globs(ref, path + ".principals", map.get("principals")),
                globs(ref, path + ".applications", map.get("applications")),
                globs(ref, path + ".agents", map.get("agents")),
                globs(ref, path + ".intentTypes", map.get("intentTypes")),
                globs(ref, path + ".tools", map.get("tools")),
                globs(ref, path + ".models", map.get("models")),
                input,
                map.get("estimatedCostUsd") == null
                        ? null
                        : costRange(ref, path + ".estimatedCostUsd", map.get("estimatedCostUsd")),
                map.get("timeWindow") == null ? null : timeWindow(ref, path + ".timeWindow", map.get("timeWindow")));
    }

    private static void checkApplicable(String ref, String path, Set<PolicySubjectKind> subjects, Conditions when) {
        only(ref, path + ".intentTypes", !when.intentTypes().isEmpty(), subjects, EnumSet.of(PolicySubjectKind.INTENT));
        only(ref, path + ".tools", !when.tools().isEmpty(), subjects, EnumSet.of(PolicySubjectKind.TOOL_CALL));
        only(ref, path + ".models", !when.models().isEmpty(), subjects, EnumSet.of(PolicySubjectKind.MODEL_CALL));
        only(
                ref,
                path + ".estimatedCostUsd",
                when.estimatedCostUsd() != null,
                subjects,
                EnumSet.of(PolicySubjectKind.MODEL_CALL));
        only(
                ref,
                path + ".input",
                !when.input().isEmpty(),
                subjects,
                EnumSet.of(PolicySubjectKind.INTENT, PolicySubjectKind.TOOL_CALL));
    }

    private static void only(
            String ref, String path, boolean present, Set<PolicySubjectKind> subjects, Set<PolicySubjectKind> allowed) {
        if (present && !allowed.containsAll(subjects)) {
            throw new InvalidPolicyException(
                    ref,
                    path,
                    "applies only to "
                            + allowed.stream().map(PolicyDocuments::wire).toList() + " subjects, and this rule is for "
                            + subjects.stream().map(PolicyDocuments::wire).toList());
        }
    }

    private static InputCondition inputCondition(String ref, String path, Object node) {
        if (!(node instanceof Map<?, ?> map)) throw new InvalidPolicyException(ref, path, "must be an object");
        Set<String> fields = new HashSet<>(OPERATORS.keySet());
        fields.add("pointer");
        unknown(ref, path + ".", map, fields);
        String pointer = requiredString(ref, path + ".pointer", map.get("pointer"));
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new InvalidPolicyException(ref, path + ".pointer", "a JSON pointer starts with / (RFC 6901)");
        }
        List<String> ops =
                OPERATORS.keySet().stream().filter(map::containsKey).sorted().toList();
        if (ops.size() != 1) {
            throw new InvalidPolicyException(
                    ref,
                    path,
                    "needs exactly one of "
                            + OPERATORS.keySet().stream().sorted().toList() + ", got " + ops);
        }
        String opName = ops.getFirst();
        Operator op = OPERATORS.get(opName);
        Object value = map.get(opName);
        String valuePath = path + "." + opName;
        switch (op) {
            case IN -> {
                if (!(value instanceof List<?> l) || l.isEmpty())
                    throw new InvalidPolicyException(ref, valuePath, "must be a non-empty list");
                for (Object v : l) scalar(ref, valuePath, v);
                value = List.copyOf(l);
            }
            case MATCHES -> {
                String regex = requiredString(ref, valuePath, value);
                try {
                    value = Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw new InvalidPolicyException(ref, valuePath, "not a regular expression: " + e.getDescription());
                }
            }
            case GREATER_THAN, LESS_THAN -> value = number(ref, valuePath, value);
            case EXISTS -> {
                if (!(value instanceof Boolean))
                    throw new InvalidPolicyException(ref, valuePath, "must be true or false");
            }
            default -> scalar(ref, valuePath, value);
        }
        return new InputCondition(pointer, op, value);
    }

    private static void scalar(String ref, String path, Object value) {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new InvalidPolicyException(ref, path, "must be a string, number or boolean");
        }
    }

    private static CostRange costRange(String ref, String path, Object node) {
        if (!(node instanceof Map<?, ?> map)) throw new InvalidPolicyException(ref, path, "must be an object");
        unknown(ref, path + ".", map, Set.of("above", "atMost"));
        BigDecimal above = map.get("above") == null ? null : number(ref, path + ".above", map.get("above"));
        BigDecimal atMost = map.get("atMost") == null ? null : number(ref, path + ".atMost", map.get("atMost"));
        if (above == null && atMost == null) throw new InvalidPolicyException(ref, path, "needs above and/or atMost");
        return new CostRange(above, atMost);
    }

    private static TimeWindow timeWindow(String ref, String path, Object node) {
        if (!(node instanceof Map<?, ?> map)) throw new InvalidPolicyException(ref, path, "must be an object");
        unknown(ref, path + ".", map, Set.of("days", "from", "to", "zone"));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : strings(ref, path + ".days", map.get("days"))) days.add(day(ref, path + ".days", d));
        LocalTime from = map.get("from") == null ? null : time(ref, path + ".from", map.get("from"));
        LocalTime to = map.get("to") == null ? null : time(ref, path + ".to", map.get("to"));
        if ((from == null) != (to == null))
            throw new InvalidPolicyException(ref, path, "needs both from and to, or neither");
        if (from != null && from.equals(to))
            throw new InvalidPolicyException(
                    ref,
                    path,
                    "from and to are equal, so the window would never hold; leave both out for the whole day");
        ZoneId zone = null;
        if (map.get("zone") != null) {
            try {
                zone = ZoneId.of(String.valueOf(map.get("zone")));
            } catch (DateTimeException e) {
                throw new InvalidPolicyException(ref, path + ".zone", "unknown time zone " + map.get("zone"));
            }
        }
        return new TimeWindow(days, from, to, zone);
    }

    private static DayOfWeek day(String ref, String path, String d) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().toLowerCase(Locale.ROOT).startsWith(d.toLowerCase(Locale.ROOT)) && d.length() >= 3)
                return day;
        }
        throw new InvalidPolicyException(ref, path, "unknown day " + d + " (mon … sun)");
    }

    private static LocalTime time(String ref, String path, Object value) {
        if (!(value instanceof String s)) {
            throw new InvalidPolicyException(ref, path, "write times as quoted strings, \"HH:MM\"");
        }
        try {
            return LocalTime.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidPolicyException(ref, path, "not a time of day (HH:MM): " + s);
        }
    }

    private static BigDecimal number(String ref, String path, Object value) {
        if (value instanceof Number n) return new BigDecimal(n.toString());
        throw new InvalidPolicyException(ref, path, "must be a number");
    }

    private static List<String> globs(String ref, String path, Object node) {
        List<String> values = strings(ref, path, node);
        for (String v : values) {
            if (v.isEmpty()) throw new InvalidPolicyException(ref, path, "empty value");
        }
        return values;
    }

    private static List<String> strings(String ref, String path, Object node) {
        if (node == null) return List.of();
        if (node instanceof String s) return List.of(s);
        if (!(node instanceof List<?> list)) throw new InvalidPolicyException(ref, path, "must be a list of strings");
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) throw new InvalidPolicyException(ref, path, "must be a list of strings");
            out.add(s);
        }
        return out;
    }

    private static String requiredString(String ref, String path, Object node) {
        if (!(node instanceof String s) || s.isBlank())
            throw new InvalidPolicyException(ref, path, "required: a string");
        return s;
    }

    private static String optionalString(String ref, String path, Object node) {
        if (node == null) return null;
        if (!(node instanceof String s)) throw new InvalidPolicyException(ref, path, "must be a string");
        if (s.length() > 4096) throw new InvalidPolicyException(ref, path, "at most 4096 characters");
        return s;
    }

    private static void unknown(String ref, String prefix, Map<?, ?> map, Set<String> known) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new InvalidPolicyException(
                        ref,
                        prefix + key,
                        "unknown field (known: " + known.stream().sorted().toList() + ")");
            }
        }
    }

    static String wire(PolicySubjectKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    static String wire(PolicyEffect effect) {
        return effect.name().toLowerCase(Locale.ROOT);
    }

    /** The map form of a set: the document format, with absent fields left out. */
    public static Map<String, Object> toMap(PolicySet set) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", set.name());
        if (set.description() != null) out.put("description", set.description());
        if (set.defaultEffect() != null) out.put("defaultEffect", wire(set.defaultEffect()));
        List<Object> rules = new ArrayList<>();
        for (PolicyRule r : set.rules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", r.id());
            if (r.description() != null) rule.put("description", r.description());
            rule.put(
                    "subjects",
                    r.subjects().stream().sorted().map(PolicyDocuments::wire).toList());
            rule.put("effect", wire(r.effect()));
            Map<String, Object> when = when(r.when());
            if (!when.isEmpty()) rule.put("when", when);
            if (r.reason() != null) rule.put("reason", r.reason());
            rules.add(rule);
        }
        out.put("rules", rules);
        return out;
    }

    private static Map<String, Object> when(Conditions c) {
        Map<String, Object> out = new LinkedHashMap<>();
        putList(out, "tenants", c.tenants());
        putList(out, "principals", c.principals());
        putList(out, "applications", c.applications());
        putList(out, "agents", c.agents());
        putList(out, "intentTypes", c.intentTypes());
        putList(out, "tools", c.tools());
        putList(out, "models", c.models());
        if (!c.input().isEmpty()) {
            List<Object> input = new ArrayList<>();
            for (InputCondition ic : c.input()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("pointer", ic.pointer());
                String op = OPERATORS.entrySet().stream()
                        .filter(e -> e.getValue() == ic.operator())
                        .findFirst()
                        .orElseThrow()
                        .getKey();
                m.put(op, ic.value() instanceof Pattern p ? p.pattern() : ic.value());
                input.add(m);
            }
            out.put("input", input);
        }
        if (c.estimatedCostUsd() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (c.estimatedCostUsd().above() != null)
                m.put("above", c.estimatedCostUsd().above());
            if (c.estimatedCostUsd().atMost() != null)
                m.put("atMost", c.estimatedCostUsd().atMost());
            out.put("estimatedCostUsd", m);
        }
        if (c.timeWindow() != null) {
            TimeWindow w = c.timeWindow();
            Map<String, Object> m = new LinkedHashMap<>();
            if (w.days().size() < 7) {
                m.put(
                        "days",
                        w.days().stream()
                                .sorted()
                                .map(d -> d.name().substring(0, 3).toLowerCase(Locale.ROOT))
                                .toList());
            }
            if (w.from() != null) m.put("from", w.from().toString());
            if (w.to() != null) m.put("to", w.to().toString());
            m.put("zone", w.zone().getId());
            out.put("timeWindow", m);
        }
        return out;
    }

    private static void putList(Map<String, Object> out, String key, List<String> values) {
        if (!values.isEmpty()) out.put(key, values);
    }

    /** The set as compact JSON (the document format). */
    public static String toJson(PolicySet set) {
        return ContractJson.write(toMap(set));
    }
}
