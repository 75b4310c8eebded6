package io.tributary.local;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.Logger;

/** The {@link ExecutionContext} of one local invocation. */
record LocalExecutionContext(String functionName, String invocationId, Logger logger) implements ExecutionContext {

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }
}
