package dev.quarry.adapters.config;

import dev.quarry.core.metrics.EmfWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Where metrics go. A stage function holds its meters in a plain micrometer registry; the query function's registry
 * is quarkus-micrometer's (Prometheus), which replaces this default. Either way {@link EmfWriter} prints the Quarry
 * meters to stdout as CloudWatch EMF at the end of each invocation: CloudWatch Logs makes them metrics in AWS, and
 * the local stack's /metrics reads them from the functions' logs.
 */
@ApplicationScoped
public class MetricsProducers {

    @Produces
    @Singleton
    @DefaultBean
    MeterRegistry registry() {
        return new SimpleMeterRegistry();
    }

    @Produces
    @Singleton
    EmfWriter emf(MeterRegistry registry) {
        // System.out is read at each line, not captured here: Lambda's runtime may replace it.
        return new EmfWriter(registry, line -> System.out.println(line), System::currentTimeMillis);
    }
}
