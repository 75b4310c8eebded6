package io.tributary.definition;

import java.util.List;

/**
 * A check of a definition that reads well but needs more than its JSON to judge: the engine's view of
 * its SQL (expressions that do not parse or type-check, columns a step's SQL names but that do not
 * exist there). It runs only on definitions that have no other problem.
 */
public interface DefinitionCheck {

    /** No further check. */
    DefinitionCheck NONE = definition -> List.of();

    /** What is wrong, at which JSON pointer of the definition. */
    record Finding(String pointer, String message) {
    }

    List<Finding> check(PipelineDefinition definition);
}
