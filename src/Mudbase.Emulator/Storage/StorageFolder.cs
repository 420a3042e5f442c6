using System.Buffers;
using System.Security.Cryptography;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// The emulator's file bytes on disk, in a temporary folder of its own, made on first use (an emulator that stores
/// nothing makes none) and deleted when the emulator stops, so that tests move large files in constant memory.
/// Bytes are written to a fresh scratch file and moved into place only once complete: a file is never seen half
/// written, and a failed upload leaves nothing but a scratch file, deleted at once.
/// </summary>
internal sealed class StorageFolder : IDisposable
{
    /// <summary>The size of each read and write: large enough for disk and loopback speed, small enough to pool.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly Lock _gate = new();
    private DirectoryInfo? _directory;
    private bool _disposed;

    /// <summary>The folder's path once made (for tests and diagnostics), else <see langword="null"/>.</summary>
    public string? Path
    {
        get
        {
            lock (_gate)
            {
                return _directory?.FullName;
            }
        }
    }

    /// <summary>A new, unused path for bytes being received.</summary>
    public string NewScratchPath() => PathOf("scratch-" + RandomNumberGenerator.GetHexString(32, lowercase: true));

    /// <summary>The path of a stored file's bytes.</summary>
    public string FilePath(string fileId) => PathOf("file-" + fileId);

    /// <summary>The path of a direct upload's bytes, by a name the state gave it (never the key itself, which the caller chose).</summary>
    public string PendingPath(string pendingName) => PathOf("pending-" + pendingName);

    /// <summary>
    /// Copies <paramref name="source"/> to a new scratch file, chunk by chunk, until it ends or holds more than
    /// <paramref name="limit"/> bytes.
    /// </summary>
    /// <returns>The scratch file and its size; the path is <see langword="null"/> (and nothing is left) when over the limit.</returns>
    public async Task<(string? Path, long Size)> ReceiveAsync(Stream source, long? limit, CancellationToken cancellationToken)
    {
        var path = NewScratchPath();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var size = 0L;
        var complete = false;
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        return (null, size);
                    }

                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            complete = true;
            return (path, size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!complete)
            {
                Delete(path);
            }
        }
    }

    /// <summary>Opens stored bytes for reading; deleting the file meanwhile does not disturb a read under way.</summary>
    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Moves received bytes into place, replacing what was there.</summary>
    public static void Move(string from, string to) => File.Move(from, to, overwrite: true);

    /// <summary>Deletes bytes if they are there.</summary>
    public static void Delete(string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }

    /// <summary>Deletes the folder and everything in it. Safe to call more than once.</summary>
    public void Dispose()
    {
        DirectoryInfo? directory;
        lock (_gate)
        {
            directory = _directory;
            _directory = null;
            _disposed = true;
        }

        try
        {
            directory?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere (a reader that outlived the server): the system's temporary folder keeps it.
        }
        catch (UnauthorizedAccessException)
        {
            // As above, on Windows.
        }
    }

    private string PathOf(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _directory ??= Directory.CreateTempSubdirectory("mudbase-emulator-");
            return System.IO.Path.Combine(_directory.FullName, name);
        }
    }
}
