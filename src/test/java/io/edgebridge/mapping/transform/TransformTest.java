package io.edgebridge.mapping.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.mapping.transform.TransformResult.Records;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API the wiring calls, beyond what the golden cases show. */
class TransformTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void variablesAreThoseTheExpressionsReadAndDoNotBind() {
        Transform transform = Transform.compile(TransformSpec.of(
                "$site != \"lab\"", "let unit = \"C\" {\"d\": $deviceId, \"u\": $unit, \"m\": $model}", null));
        assertEquals(Set.of("site", "deviceId", "model"), transform.variables());
    }

    @Test
    void recordsCarryTheirJsonReadyForKafka() throws Exception {
        Transform transform = Transform.compile(TransformSpec.of(null, "{\"d\": $deviceId, \"v\": .v}", null));
        Records records = assertInstanceOf(
                Records.class, transform.apply(JSON.readTree("{\"v\": 1.5}"), Map.of("deviceId", "d-1")::get));
        assertEquals(
                "{\"d\":\"d-1\",\"v\":1.5}", new String(records.records().get(0).json(), StandardCharsets.UTF_8));
    }

    @Test
    void compileErrorsCarryKeyAndPosition() {
        InvalidTransformException e = assertThrows(
                InvalidTransformException.class,
                () -> Transform.compile(TransformSpec.of(".ok", "{\n  \"a\": .a * .b\n}", null)));
        assertEquals("jslt", e.key());
        assertEquals(2, e.line());
        assertEquals(8, e.column());
    }
}
