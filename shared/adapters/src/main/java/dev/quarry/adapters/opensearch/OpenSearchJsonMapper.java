package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import org.opensearch.client.json.JsonpDeserializer;
import org.opensearch.client.json.NdJsonpSerializable;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Iterator;

/**
 * The one JSON mapper of the OpenSearch adapters: documents (status records, chunks, query history), index
 * definitions, and every typed request and response, since both transports built in {@link OpenSearchClients}
 * serialize through {@link #JSONP}. Instants are ISO-8601 text, and fields a record does not know (a document's
 * {@code kind}) are ignored.
 */
final class OpenSearchJsonMapper {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final JacksonJsonpMapper JSONP = new JacksonJsonpMapper(JSON);

    private OpenSearchJsonMapper() {
    }

    /** A typed object (settings, mappings) read from JSON, such as a part of an index definition. */
    static <T> T read(JsonNode json, JsonpDeserializer<T> deserializer) {
        try (JsonParser parser = JSONP.jsonProvider().createParser(new StringReader(json.toString()))) {
            return deserializer.deserialize(parser, JSONP);
        }
    }

    /** The body a transport sends for an NDJSON request ({@code _msearch}, {@code _bulk}): one JSON line per item. */
    static String ndjson(NdJsonpSerializable request) {
        StringWriter out = new StringWriter();
        writeNdjson(request, out);
        return out.toString();
    }

    /** As the transports write it: items that are NDJSON themselves (an _msearch header and body) are flattened. */
    private static void writeNdjson(NdJsonpSerializable value, StringWriter out) {
        for (Iterator<?> items = value._serializables(); items.hasNext(); ) {
            Object item = items.next();
            if (item instanceof NdJsonpSerializable nested && item != value) {
                writeNdjson(nested, out);
            } else {
                try (JsonGenerator generator = JSONP.jsonProvider().createGenerator(out)) {
                    JSONP.serialize(item, generator);
                }
                out.write('\n');
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
