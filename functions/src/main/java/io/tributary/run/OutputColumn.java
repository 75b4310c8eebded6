package io.tributary.run;

/** A column of the written dataset, with the SQL type the engine gave it. */
public record OutputColumn(String name, String type) {
}
