package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.tributary.stage.RunSettings;
import io.tributary.port.AlertSender;
import io.tributary.storage.StorageClients;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java worker finds the app's injector, and it makes every function class, each with its collaborators. */
class AppInjectorTest {

    /** The classes of {@code io.tributary.functions} with a {@code @FunctionName} method: what the worker indexes. */
    private static List<Class<?>> functionClasses() throws IOException, URISyntaxException {
        Path folder = Path.of(FunctionApp.class.getResource("FunctionApp.class").toURI()).getParent();
        try (Stream<Path> files = Files.list(folder)) {
            List<Class<?>> found = new ArrayList<>();
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> load(FunctionApp.class.getPackageName() + "." + f.substring(0, f.length() - 6)))
                    .filter(c -> Arrays.stream(c.getMethods()).anyMatch(m -> m.isAnnotationPresent(FunctionName.class)))
                    .forEach(found::add);
            found.sort(Comparator.comparing(Class::getSimpleName));
            return found;
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The app wired over a storage account it never reaches: building the graph connects to nothing. */
    private static FunctionApp app(Path dir) {
        Map<String, String> values = Map.of(AppResources.STORAGE_CONNECTION, "UseDevelopmentStorage=true",
                "TRIBUTARY_PIPELINE_DEFS", dir.resolve("defs").toString(), "TRIBUTARY_WORK_DIR", dir.toString());
        AppSettings settings = AppSettings.read(name -> Optional.ofNullable(values.get(name)));
        StorageClients clients = new StorageClients(settings.storage(), StorageClients.RetryPolicy.INTERACTIVE);
        return new FunctionApp(settings, name -> Optional.empty(), new AppStorage(clients, AlertSender.NONE,
                new RunSettings(settings.access(), name -> Optional.empty()), Clock.systemUTC()), dir.resolve("work"), Clock.systemUTC());
    }

    @Test
    void theWorkerFindsTheAppsInjectorAndOnlyIt() {
        List<Class<?>> registered = ServiceLoader.load(FunctionInstanceInjector.class).stream()
                .<Class<?>>map(ServiceLoader.Provider::type).toList();
        assertEquals(List.of(AppInjector.class), registered);
    }

    @Test
    void theInjectorMakesEveryFunctionClassOfThePackage(@TempDir Path dir) throws Exception {
        List<Class<?>> classes = functionClasses();
        assertEquals(19, classes.size(), "the app's function classes: " + classes);
        AppInjector injector = new AppInjector(() -> app(dir));
        for (Class<?> type : classes) {
            Object first = injector.getInstance(type);
            assertEquals(type, first.getClass());
            assertEquals(false, first == injector.getInstance(type), type + ": a new instance per invocation");
        }
        assertEquals(classes.stream().map(Class::getName).sorted().toList(),
                injector.app().functionClasses().stream().map(Class::getName).sorted().toList(),
                "the app makes no class the worker would not ask for");
    }

    @Test
    void theInjectorBuildsTheAppOnceOnFirstUseAndAgainOnlyAfterAFailure(@TempDir Path dir) {
        AtomicInteger builds = new AtomicInteger();
        AppInjector failing = new AppInjector(() -> {
            builds.incrementAndGet();
            throw new IllegalStateException("the app setting TRIBUTARY_ENGINE_SLOTS must be a whole number");
        });
        assertEquals(0, builds.get(), "nothing is built before the first invocation");
        assertEquals("the app setting TRIBUTARY_ENGINE_SLOTS must be a whole number", assertThrows(
                IllegalStateException.class, () -> failing.getInstance(DashboardFunction.class)).getMessage());
        assertThrows(IllegalStateException.class, () -> failing.getInstance(DashboardFunction.class));
        assertEquals(2, builds.get(), "a failed start is tried again by the next invocation");

        FunctionApp app = app(dir);
        AtomicInteger starts = new AtomicInteger();
        AppInjector injector = new AppInjector(() -> {
            starts.incrementAndGet();
            return app;
        });
        injector.getInstance(ListRunsFunction.class);
        injector.getInstance(StoreFunction.class);
        assertSame(app, injector.app());
        assertEquals(1, starts.get());
    }

    @Test
    void aClassThatIsNoFunctionOfTheAppIsRefusedNamingTheOnesThatAre(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AppInjector(() -> app(dir)).getInstance(String.class));
        assertEquals("No function class named 'java.lang.String' in the app; available: [CancelRunFunction, "
                + "CombineFunction, DashboardFunction, ExtractFunction, FileDropFunction, GetRunFunction, "
                + "HistoryRetentionFunction, JobFunction, LineageFunction, ListPipelinesFunction, ListRunsFunction, "
                + "PoisonWatchFunction, RerunFunction, "
                + "ScheduleFunction, StartRunFunction, StoreFunction, TableHistoryFunction, TableVacuumFunction, "
                + "TransformFunction]", e.getMessage());
    }
}
