package io.tributary.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds the app's {@code @FunctionName} methods by scanning a package, as the Functions host indexes a jar. */
public final class FunctionIndex {

    private FunctionIndex() {
    }

    public static List<FunctionEntry> scan(String packageName, ClassLoader loader) {
        List<FunctionEntry> functions = new ArrayList<>();
        for (String className : classNames(packageName, loader)) {
            Class<?> type;
            try {
                type = Class.forName(className, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            if (!Modifier.isPublic(type.getModifiers()) || type.isInterface()) {
                continue;
            }
            for (Method method : type.getMethods()) {
                FunctionEntry.of(method).ifPresent(functions::add);
            }
        }
        functions.sort(Comparator.comparing(FunctionEntry::name));
        return functions;
    }

    private static List<String> classNames(String packageName, ClassLoader loader) {
        String path = packageName.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("jar")) {
                    JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile();
                    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                        String entry = entries.nextElement().getName();
                        if (entry.startsWith(path + "/") && entry.endsWith(".class")
                                && entry.indexOf('/', path.length() + 1) < 0) {
                            names.add(entry.substring(0, entry.length() - 6).replace('/', '.'));
                        }
                    }
                } else {
                    try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class"))
                                .forEach(f -> names.add(packageName + "." + f.substring(0, f.length() - 6)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names.stream().filter(n -> !n.contains("$")).distinct().sorted().toList();
    }
}
