package io.tributary.local;

import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Optional;

/** One {@code @FunctionName} method and the trigger annotation on one of its parameters. */
public record FunctionEntry(String name, Method method, Annotation trigger) {

    /** The entry for {@code method}, or empty when it is not a function. */
    public static Optional<FunctionEntry> of(Method method) {
        FunctionName name = method.getAnnotation(FunctionName.class);
        if (name == null) {
            return Optional.empty();
        }
        for (Parameter parameter : method.getParameters()) {
            for (Annotation annotation : parameter.getAnnotations()) {
                if (annotation instanceof QueueTrigger || annotation instanceof BlobTrigger
                        || annotation instanceof TimerTrigger || annotation instanceof HttpTrigger) {
                    return Optional.of(new FunctionEntry(name.value(), method, annotation));
                }
            }
        }
        throw new IllegalStateException("function " + name.value() + " (" + method + ") has no trigger the local host "
                + "supports: use @QueueTrigger, @BlobTrigger, @TimerTrigger or @HttpTrigger");
    }

    /** {@code Functions.<name>}, as the Functions host names functions in logs and receipts. */
    public String qualifiedName() {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
