package io.tributary.bench;

/** A generated file and the pipeline that reads it. */
record Input(BenchPipeline pipeline, Generated generated) {

    /** The file's name, for its drop into the landing container. */
    String fileName() {
        return generated.file().getFileName().toString();
    }
}
