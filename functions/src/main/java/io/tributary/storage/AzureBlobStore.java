package io.tributary.storage;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import io.tributary.run.BlobRef;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.port.SourceChangedException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link BlobStore} on Azure Blob Storage (or Azurite) through the Storage SDK. */
public final class AzureBlobStore implements BlobStore {

    private static final long BLOCK_SIZE = 8L * 1024 * 1024;

    private final BlobServiceClient service;

    public AzureBlobStore(BlobServiceClient service) {
        this.service = service;
    }

    private BlobClient blob(String container, String name) {
        return service.getBlobContainerClient(container).getBlobClient(name);
    }

    @Override
    public Optional<BlobInfo> properties(String container, String name) {
        return unlessMissing(() -> {
            BlobProperties p = blob(container, name).getProperties();
            return Optional.of(new BlobInfo(p.getETag(), p.getBlobSize(), p.getLastModified().toInstant()));
        }, Optional.empty());
    }

    @Override
    public void download(BlobRef ref, long offset, long length, OutputStream out) {
        if (length == 0) {
            return;
        }
        try {
            BlobRequestConditions sameVersion = new BlobRequestConditions().setIfMatch(ref.etag());
            blob(ref.container(), ref.name()).downloadStreamWithResponse(out, new BlobRange(offset, length == WHOLE ? null : length), null,
                    sameVersion, false, null, Context.NONE);
        } catch (BlobStorageException e) {
            if (isMissing(e) || e.getErrorCode() == BlobErrorCode.CONDITION_NOT_MET) {
                throw new SourceChangedException("the source " + ref + " was changed or deleted before it was read", e);
            }
            throw e;
        }
    }

    /** Streams the source through this process: a server-side copy would need the source to be readable by URL. */
    @Override
    public void copy(BlobRef source, String container, String name) {
        BlobRequestConditions sameVersion = new BlobRequestConditions().setIfMatch(source.etag());
        ParallelTransferOptions transfer = new ParallelTransferOptions()
                .setBlockSizeLong(BLOCK_SIZE).setMaxSingleUploadSizeLong(BLOCK_SIZE).setMaxConcurrency(2);
        try (InputStream in = blob(source.container(), source.name()).openInputStream(
                new BlobInputStreamOptions().setRequestConditions(sameVersion).setBlockSize((int) BLOCK_SIZE))) {
            BlobParallelUploadOptions upload = new BlobParallelUploadOptions(in).setParallelTransferOptions(transfer);
            try {
                blob(container, name).uploadWithResponse(upload, null, Context.NONE);
            } catch (BlobStorageException e) {
                if (e.getErrorCode() != BlobErrorCode.CONTAINER_NOT_FOUND) {
                    throw e;
                }
                service.getBlobContainerClient(container).createIfNotExists();
                try (InputStream again = blob(source.container(), source.name()).openInputStream(
                        new BlobInputStreamOptions().setRequestConditions(sameVersion))) {
                    blob(container, name).uploadWithResponse(new BlobParallelUploadOptions(again)
                            .setParallelTransferOptions(transfer), null, Context.NONE);
                }
            }
        } catch (BlobStorageException e) {
            if (isMissing(e) || e.getErrorCode() == BlobErrorCode.CONDITION_NOT_MET) {
                throw new SourceChangedException("the blob " + source + " was changed or deleted before it was copied",
                        e);
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean deleteIfMatch(BlobRef ref) {
        try {
            blob(ref.container(), ref.name()).deleteWithResponse(null,
                    new BlobRequestConditions().setIfMatch(ref.etag()), null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (isMissing(e) || e.getErrorCode() == BlobErrorCode.CONDITION_NOT_MET) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void delete(String container, String name) {
        blob(container, name).deleteIfExists();
    }

    @Override
    public long upload(String container, String name, Path file) {
        ParallelTransferOptions transfer = new ParallelTransferOptions()
                .setBlockSizeLong(BLOCK_SIZE).setMaxSingleUploadSizeLong(BLOCK_SIZE).setMaxConcurrency(2);
        blob(container, name).uploadFromFileWithResponse(
                new BlobUploadFromFileOptions(file.toString()).setParallelTransferOptions(transfer), null, Context.NONE);
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean createIfAbsent(String container, String name, byte[] content) {
        return putIfUnchanged(container, name, content, null);
    }

    @Override
    public void put(String container, String name, byte[] content) {
        blob(container, name).upload(BinaryData.fromBytes(content), true);
    }

    @Override
    public boolean putIfUnchanged(String container, String name, byte[] content, String etag) {
        BlobRequestConditions conditions = etag == null
                ? new BlobRequestConditions().setIfNoneMatch("*")
                : new BlobRequestConditions().setIfMatch(etag);
        try {
            blob(container, name).uploadWithResponse(
                    new BlobParallelUploadOptions(BinaryData.fromBytes(content)).setRequestConditions(conditions),
                    null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.BLOB_ALREADY_EXISTS
                    || e.getErrorCode() == BlobErrorCode.CONDITION_NOT_MET) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Versioned> read(String container, String name) {
        return unlessMissing(() -> {
            var response = blob(container, name).downloadContentWithResponse(null, null, null, Context.NONE);
            return Optional.of(new Versioned(response.getValue().toBytes(), response.getDeserializedHeaders().getETag()));
        }, Optional.empty());
    }

    @Override
    public List<String> list(String container, String prefix) {
        return unlessMissing(() -> service.getBlobContainerClient(container)
                .listBlobs(new ListBlobsOptions().setPrefix(prefix), null)
                .stream().map(BlobItem::getName).sorted().toList(), List.of());
    }

    @Override
    public List<String> folders(String container, String prefix) {
        return unlessMissing(() -> service.getBlobContainerClient(container)
                .listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(prefix), null)
                .stream().filter(item -> Boolean.TRUE.equals(item.isPrefix()))
                .map(item -> item.getName().substring(0, item.getName().length() - 1)).sorted().toList(), List.of());
    }

    /** The call's result, or {@code missing} when the blob or its container does not exist. */
    private static <T> T unlessMissing(java.util.function.Supplier<T> call, T missing) {
        try {
            return call.get();
        } catch (BlobStorageException e) {
            if (isMissing(e)) {
                return missing;
            }
            throw e;
        }
    }

    static boolean isMissing(BlobStorageException e) {
        return e.getErrorCode() == BlobErrorCode.BLOB_NOT_FOUND || e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND
                || e.getStatusCode() == 404;
    }
}
