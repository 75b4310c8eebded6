package io.tributary.local;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Calls one function the way the Java worker does: a new instance of its class per invocation, made by the app's
 * {@link FunctionInstanceInjector}, the trigger value and binding data bound to its parameters, an
 * {@link ExecutionContext} last.
 */
final class Invoker {

    /** Makes instances with their no-argument constructors, as the worker does when an app registers no injector. */
    static final FunctionInstanceInjector CONSTRUCTORS = new FunctionInstanceInjector() {
        @Override
        public <T> T getInstance(Class<T> functionClass) throws Exception {
            return functionClass.getDeclaredConstructor().newInstance();
        }
    };

    private final HostLog log;
    private final FunctionInstanceInjector injector;

    Invoker(HostLog log, FunctionInstanceInjector injector) {
        this.log = log;
        this.injector = injector;
    }

    /**
     * The injector the app registers in {@code META-INF/services}, found as the Java worker finds it; without one,
     * function classes are made with their no-argument constructors, as the worker makes them.
     *
     * @throws IllegalStateException when more than one is registered (the worker refuses to start then)
     */
    static FunctionInstanceInjector registered(ClassLoader loader) {
        Iterator<FunctionInstanceInjector> found = ServiceLoader.load(FunctionInstanceInjector.class, loader)
                .iterator();
        if (!found.hasNext()) {
            return CONSTRUCTORS;
        }
        FunctionInstanceInjector injector = found.next();
        if (found.hasNext()) {
            throw new IllegalStateException("the app registers more than one FunctionInstanceInjector in "
                    + "META-INF/services; the Functions worker accepts one");
        }
        return injector;
    }

    /** Binding data arrive as text; the worker converts them to the parameter's type. */
    private static Object convert(String value, Parameter parameter, FunctionEntry function) {
        Class<?> type = parameter.getType();
        if (value == null || type == String.class) {
            if (value == null && type.isPrimitive()) {
                throw new IllegalStateException("function " + function.name() + ": no binding data named '"
                        + parameter.getAnnotation(BindingName.class).value() + "' for parameter '" + parameter.getName()
                        + "'");
            }
            return value;
        }
        if (type == long.class || type == Long.class) {
            return Long.parseLong(value);
        }
        if (type == int.class || type == Integer.class) {
            return Integer.parseInt(value);
        }
        throw new IllegalStateException("function " + function.name() + ": the local host cannot bind '"
                + parameter.getName() + "' as " + type.getSimpleName());
    }

    /**
     * Invokes {@code function}.
     *
     * @param trigger     the value for the trigger parameter
     * @param bindingData values for {@code @BindingName} parameters
     * @param reason      why it runs, for the log
     * @return what the function returned (an HTTP function's response), or null
     * @throws Exception what the function threw
     */
    Object invoke(FunctionEntry function, Object trigger, Map<String, String> bindingData, String reason)
            throws Exception {
        String id = UUID.randomUUID().toString();
        log.info("Executing 'Functions." + function.name() + "' (Reason='" + reason + "', Id=" + id + ")");
        long start = System.nanoTime();
        Logger logger = log.functionLogger(function.name());
        ExecutionContext context = new LocalExecutionContext(function.name(), id, logger);
        Parameter[] parameters = function.method().getParameters();
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Parameter p = parameters[i];
            if (p.isAnnotationPresent(QueueTrigger.class) || p.isAnnotationPresent(BlobTrigger.class)
                    || p.isAnnotationPresent(TimerTrigger.class) || p.isAnnotationPresent(HttpTrigger.class)) {
                args[i] = trigger;
            } else if (p.isAnnotationPresent(BindingName.class)) {
                args[i] = convert(bindingData.get(p.getAnnotation(BindingName.class).value()), p, function);
            } else if (p.getType() == ExecutionContext.class) {
                args[i] = context;
            } else {
                throw new IllegalStateException("function " + function.name() + ": the local host cannot bind "
                        + "parameter '" + p.getName() + "' of type " + p.getType().getSimpleName());
            }
        }
        Object instance;
        try {
            // The worker fails the invocation when its instance cannot be made (the app's settings are bad, say).
            instance = injector.getInstance(function.method().getDeclaringClass());
        } catch (Exception e) {
            throw failed(function, id, start, e);
        }
        try {
            Object result = function.method().invoke(instance, args);
            log.info("Executed 'Functions." + function.name() + "' (Succeeded, Id=" + id + ", Duration="
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + "ms)");
            return result;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw failed(function, id, start, exception);
            }
            failed(function, id, start, cause);
            throw (Error) cause;
        }
    }

    /** Logs that the invocation {@code id} that began at {@code start} failed with {@code cause}; returns it. */
    private <E extends Throwable> E failed(FunctionEntry function, String id, long start, E cause) {
        log.warn("Executed 'Functions." + function.name() + "' (Failed, Id=" + id + ", Duration="
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + "ms): " + cause);
        return cause;
    }
}
