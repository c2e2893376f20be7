package dev.quarry.local;

import com.sun.net.httpserver.Headers;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * S3's bucket CORS, which S3Mock lacks: PutBucketCors / GetBucketCors / DeleteBucketCors store a bucket's
 * rules, a preflight (OPTIONS) is answered from them, and a cross-origin response carries
 * Access-Control-Allow-Origin only when a rule allows that origin and method. A bucket without rules
 * refuses every cross-origin request, as in AWS; the local stack sets the same rules as Terraform.
 */
final class BucketCors {

    record Rule(List<String> origins, List<String> methods, List<String> headers, List<String> expose, Integer maxAge) {

        boolean allows(String origin, String method, List<String> requestHeaders) {
            return origins.stream().anyMatch(o -> wildcard(o, origin))
                    && methods.contains(method)
                    && requestHeaders.stream().allMatch(h -> headers.stream().anyMatch(a -> wildcard(a.toLowerCase(Locale.ROOT), h)));
        }
    }

    record Answer(int status, Map<String, String> headers, String body) {
    }

    private final Map<String, List<Rule>> rules = new ConcurrentHashMap<>();
    private final Map<String, String> documents = new ConcurrentHashMap<>();

    /** PUT, GET or DELETE {@code /<bucket>?cors}. */
    Answer configure(String method, String bucket, byte[] body) {
        switch (method) {
            case "PUT" -> {
                try {
                    rules.put(bucket, parse(body));
                    documents.put(bucket, new String(body, java.nio.charset.StandardCharsets.UTF_8));
                    return new Answer(200, Map.of(), "");
                } catch (Exception e) {
                    return error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate: " + e.getMessage());
                }
            }
            case "GET" -> {
                String xml = documents.get(bucket);
                return xml == null ? error(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist")
                        : new Answer(200, Map.of("Content-Type", "application/xml"), xml);
            }
            case "DELETE" -> {
                rules.remove(bucket);
                documents.remove(bucket);
                return new Answer(204, Map.of(), "");
            }
            default -> {
                return error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
            }
        }
    }

    /** An OPTIONS request: allowed by a rule, or 403 as S3 answers. */
    Answer preflight(String bucket, Headers request) {
        String origin = request.getFirst("Origin");
        String method = request.getFirst("Access-Control-Request-Method");
        if (origin == null || method == null) {
            return error(400, "BadRequest", "Insufficient information. Origin request header needed.");
        }
        List<String> headers = requestedHeaders(request.getFirst("Access-Control-Request-Headers"));
        Optional<Rule> rule = rules.getOrDefault(bucket, List.of()).stream().filter(r -> r.allows(origin, method, headers)).findFirst();
        if (rule.isEmpty()) {
            return error(403, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually because the "
                    + "evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers "
                    + "are not whitelisted by the resource's CORS spec.");
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("Access-Control-Allow-Origin", rule.get().origins().contains("*") ? "*" : origin);
        out.put("Access-Control-Allow-Methods", String.join(", ", rule.get().methods()));
        if (!headers.isEmpty()) {
            out.put("Access-Control-Allow-Headers", String.join(", ", headers));
        }
        if (!rule.get().expose().isEmpty()) {
            out.put("Access-Control-Expose-Headers", String.join(", ", rule.get().expose()));
        }
        if (rule.get().maxAge() != null) {
            out.put("Access-Control-Max-Age", rule.get().maxAge().toString());
        }
        out.put("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
        return new Answer(200, out, "");
    }

    /** The CORS headers of an actual (non-preflight) response; none when no rule allows the origin and method. */
    Map<String, String> responseHeaders(String bucket, String origin, String method) {
        if (origin == null) {
            return Map.of();
        }
        return rules.getOrDefault(bucket, List.of()).stream().filter(r -> r.allows(origin, method, List.of())).findFirst()
                .map(r -> {
                    Map<String, String> out = new java.util.LinkedHashMap<>();
                    out.put("Access-Control-Allow-Origin", r.origins().contains("*") ? "*" : origin);
                    out.put("Access-Control-Allow-Methods", String.join(", ", r.methods()));
                    if (!r.expose().isEmpty()) {
                        out.put("Access-Control-Expose-Headers", String.join(", ", r.expose()));
                    }
                    out.put("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
                    return out;
                }).orElse(Map.of());
    }

    private static List<String> requestedHeaders(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }

    /** S3 allows one '*' in an origin or header pattern. */
    private static boolean wildcard(String pattern, String value) {
        if (!pattern.contains("*")) {
            return pattern.equals(value);
        }
        int star = pattern.indexOf('*');
        return Pattern.compile(Pattern.quote(pattern.substring(0, star)) + ".*" + Pattern.quote(pattern.substring(star + 1)))
                .matcher(value).matches();
    }

    private static List<Rule> parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        List<Rule> parsed = new ArrayList<>();
        var nodes = doc.getDocumentElement().getElementsByTagNameNS("*", "CORSRule");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element rule = (Element) nodes.item(i);
            List<String> methods = texts(rule, "AllowedMethod");
            List<String> origins = texts(rule, "AllowedOrigin");
            if (methods.isEmpty() || origins.isEmpty()) {
                throw new IllegalArgumentException("each CORSRule needs AllowedMethod and AllowedOrigin");
            }
            List<String> maxAge = texts(rule, "MaxAgeSeconds");
            parsed.add(new Rule(origins, methods, texts(rule, "AllowedHeader"), texts(rule, "ExposeHeader"),
                    maxAge.isEmpty() ? null : Integer.valueOf(maxAge.get(0))));
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no CORSRule");
        }
        return parsed;
    }

    private static List<String> texts(Element parent, String name) {
        List<String> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                out.add(e.getTextContent().trim());
            }
        }
        return out;
    }

    private static Answer error(int status, String code, String message) {
        return new Answer(status, Map.of("Content-Type", "application/xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code + "</Code><Message>" + message + "</Message></Error>");
    }
}
