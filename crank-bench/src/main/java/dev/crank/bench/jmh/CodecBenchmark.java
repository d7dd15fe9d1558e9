package dev.crank.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.bench.Fleet;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import dev.crank.core.JsonSchemaValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request CPU on the JSON paths: schema validation of a hello-world input (valid and invalid)
 * against its real input schema, and decode/encode of a registration body (hello-world's capability
 * with both schemas, metadata) as the controller does on {@code /register}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    private JsonSchemaValidator validator;
    private JsonNode validInput;
    private JsonNode invalidInput;
    private byte[] registration;
    private JsonNode registrationTree;

    @Setup
    public void setUp() throws Exception {
        DevPki pki = DevPki.open(Files.createTempDirectory("crank-jmh-codec-").resolve("pki"));
        CapabilitySchema hello = Fleet.helloWorldCapability(pki);
        validator = JsonSchemaValidator.of(hello.inputSchema());
        validInput = CrankJson.parse("{\"message\":\"Hello, World\",\"options\":{\"uppercase\":true,\"reverse\":false,\"exclamations\":3}}");
        invalidInput = CrankJson.parse("{\"message\":\"   \",\"options\":{\"exclamations\":42,\"shout\":true}}");
        registration = new Fleet(pki).registration("bench-worker-1", 1).getBytes(StandardCharsets.UTF_8);
        registrationTree = CrankJson.parse(registration);
        if (!validator.validate(validInput).isEmpty() || validator.validate(invalidInput).isEmpty()) {
            throw new IllegalStateException("benchmark inputs do not have the validity they claim");
        }
    }

    @Benchmark
    public List<String> validateValidInput() {
        return validator.validate(validInput);
    }

    @Benchmark
    public List<String> validateInvalidInput() {
        return validator.validate(invalidInput);
    }

    /** What /register does with the body: parse, then one CapabilitySchema per entry. */
    @Benchmark
    public List<CapabilitySchema> decodeRegistration() {
        JsonNode body = CrankJson.parse(registration);
        List<CapabilitySchema> capabilities = new ArrayList<>();
        for (JsonNode capability : body.get("capabilities")) {
            capabilities.add(CapabilitySchema.fromJson(capability));
        }
        return capabilities;
    }

    @Benchmark
    public byte[] encodeRegistration() {
        return CrankJson.bytes(registrationTree);
    }
}
