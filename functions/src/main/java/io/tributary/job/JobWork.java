package io.tributary.job;

import java.util.function.UnaryOperator;

/**
 * What a job runs, and where: the part of a definition's job that its compute's API receives. Values a definition
 * wrote may hold the run's placeholders ({@code ${run.id}}, {@code ${output.uri}}, …), replaced by {@link #resolve}
 * before the work is submitted.
 */
public sealed interface JobWork permits DatabricksWork, SynapseWork, AzureMlWork {

    /** {@code databricks}, {@code synapse} or {@code azureml}: the compute that runs it. */
    String compute();

    /** What the work runs, for status and lineage: {@code notebook /Shared/clean_orders}, {@code job 4512}. */
    String code();

    /** A copy with every value the definition wrote passed through {@code values}. */
    JobWork resolve(UnaryOperator<String> values);
}
