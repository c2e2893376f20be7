package dev.quarry.adapters.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.SearchHit;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A native image can (de)serialize only the classes registered for reflection. The records Jackson reads and writes
 * (work files in S3, status records in OpenSearch, search hits) and every record or enum they hold, however deep,
 * must be registered in {@link NativeReflection}: the set is derived from the records themselves, so a new field of a
 * new record type fails here instead of in a native Lambda.
 */
class NativeReflectionTest {

    @Test
    void every_record_and_enum_that_crosses_json_is_registered() {
        Set<String> registered = Arrays.stream(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> needed = new TreeSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(Arrays.asList(WorkFiles.class.getDeclaredClasses()));
        todo.add(DocumentRecord.class);
        todo.add(SearchHit.class);
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!(type.isRecord() || type.isEnum()) || !type.getName().startsWith("dev.quarry.") || !needed.add(type.getName())) {
                continue;
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    todo.add(component.getType().isArray() ? component.getType().getComponentType() : component.getType());
                    addTypeArguments(component.getGenericType(), todo);
                }
            }
        }

        assertThat(needed).as("records crossing JSON").hasSizeGreaterThan(10);
        assertThat(registered).containsAll(needed);
    }

    private static void addTypeArguments(Type type, Deque<Class<?>> todo) {
        if (type instanceof ParameterizedType p) {
            for (Type argument : p.getActualTypeArguments()) {
                if (argument instanceof Class<?> c) {
                    todo.add(c);
                }
                addTypeArguments(argument, todo);
            }
        }
    }
}
