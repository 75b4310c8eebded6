package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schema and the Java reader agree: every valid fixture and every shipped
 * definition passes both; every invalid fixture fails the reader, and the schema too wherever a
 * schema can say it (a column that does not exist at a step cannot be).
 */
class SchemaAgreementTest {

    /** Invalid only for reasons a JSON Schema cannot express. */
    private static final Set<String> BEYOND_THE_SCHEMA = Set.of("missing-column.json", "offset-zone.json",
            "drift-without-header.json", "sql-writes.json", "sql-array-bracket.json", "sql-server-stacked.json",
            "merge-split-keys.json");

    private static final Path ROOT = Path.of(System.getProperty("tributary.root", "."));
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ROOT.resolve("pipeline-defs/schema/pipeline.schema.json").toUri());

    static Stream<Path> valid() throws Exception {
        return Stream.concat(DefinitionReaderTest.valid(), Files.list(ROOT.resolve("pipeline-defs"))
                .filter(f -> f.toString().endsWith(".json")).sorted());
    }

    static Stream<Path> invalid() throws Exception {
        return DefinitionReaderTest.invalid().filter(f -> !f.getFileName().toString().equals("malformed.json"));
    }

    private static Set<ValidationMessage> schemaProblems(Path file) throws Exception {
        return SCHEMA.validate(new ObjectMapper().readTree(file.toFile()));
    }

    private static DefinitionResult read(Path file) throws Exception {
        return DefinitionReader.read(file.toString(), Files.readString(file),
                file.getFileName().toString().replace(".json", ""));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validDefinitionsPassTheSchemaAndTheReader(Path file) throws Exception {
        assertEquals(Set.of(), schemaProblems(file));
        assertEquals(List.of(), read(file).problems());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidDefinitionsFailTheReaderAndTheSchemaWhereItCanTell(Path file) throws Exception {
        assertFalse(read(file).problems().isEmpty());
        if (!BEYOND_THE_SCHEMA.contains(file.getFileName().toString())) {
            assertFalse(schemaProblems(file).isEmpty(), file + " passes the schema");
        } else {
            assertTrue(schemaProblems(file).isEmpty(), file + " is now caught by the schema: move it out of the list");
        }
    }
}
