package io.customerbus.runtime.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Where a service's spans go, chosen when it starts rather than when it is built, so one image
 * serves both places: {@code BUS_TRACING_EXPORTER=zipkin} on a developer's machine (the Zipkin
 * server of {@code ./platform up --tracing}, which takes no OTLP), {@code otlp} in a cluster (an
 * OpenTelemetry collector, OTLP over HTTP), {@code none} otherwise. Quarkus' own exporter is OTLP
 * only and fixed at build time; this is the {@code quarkus.otel.traces.exporter} named "bus".
 */
public final class BusSpanExporterProvider implements ConfigurableSpanExporterProvider {

    static final String EXPORTER = "bus.tracing.exporter";
    static final String ENDPOINT = "bus.tracing.endpoint";

    @Override
    public String getName() {
        return "bus";
    }

    @Override
    public SpanExporter createExporter(ConfigProperties ignored) {
        Config config = ConfigProvider.getConfig();
        String exporter = config.getOptionalValue(EXPORTER, String.class).orElse("none");
        return switch (exporter) {
            case "zipkin" ->
                    ZipkinSpanExporter.builder()
                            .setSender(URLConnectionSender.create(endpoint(config, exporter)))
                            .build();
            case "otlp" ->
                    OtlpHttpSpanExporter.builder().setEndpoint(endpoint(config, exporter)).build();
            case "none" -> SpanExporter.composite();
            default ->
                    throw new IllegalArgumentException(
                            EXPORTER + " is zipkin, otlp or none, not " + exporter);
        };
    }

    private static String endpoint(Config config, String exporter) {
        return config.getOptionalValue(ENDPOINT, String.class)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        ENDPOINT
                                                + " (BUS_TRACING_ENDPOINT) must say where the "
                                                + exporter
                                                + " spans go"));
    }
}
