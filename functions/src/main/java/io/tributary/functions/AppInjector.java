package io.tributary.functions;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.tributary.settings.Settings;
import java.util.function.Supplier;

/**
 * How the Java worker (and the local host) create the function classes: each instance gets its collaborators from
 * one {@link FunctionApp}, built on the first invocation and kept. The worker loads this class once per process
 * (it is registered in {@code META-INF/services}), so the app is built once per process; a new injector builds a new
 * app. Thread-safe.
 */
public final class AppInjector implements FunctionInstanceInjector {

    private final Supplier<FunctionApp> start;
    private volatile FunctionApp app;

    /** The injector the worker loads: the app is read from the app settings ({@link Settings}). */
    public AppInjector() {
        this(() -> FunctionApp.start(Settings::get));
    }

    /** @param start builds the app, on first use; called again on the next use when it failed */
    public AppInjector(Supplier<FunctionApp> start) {
        this.start = start;
    }

    /**
     * The app, built now if it was not.
     *
     * @throws IllegalStateException naming every bad or missing app setting, when it cannot be built
     */
    public FunctionApp app() {
        FunctionApp built = app;
        if (built == null) {
            synchronized (this) {
                built = app;
                if (built == null) {
                    built = start.get();
                    app = built;
                }
            }
        }
        return built;
    }

    /**
     * A new instance of {@code functionClass}, with its collaborators.
     *
     * @throws IllegalArgumentException when it is not one of the app's function classes
     */
    @Override
    public <T> T getInstance(Class<T> functionClass) {
        return app().function(functionClass);
    }
}
