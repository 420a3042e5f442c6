using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Mudbase.Serialization;

namespace Mudbase.Auth;

/// <summary>
/// Keeps the session in a JSON file, for console and desktop apps: a restarted app resumes signed in.
/// Writes are atomic (a temporary file renamed over the old one), so a crash never leaves half a file; on
/// Unix the file is readable by its owner only. The file holds live tokens: keep it in a per-user folder.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim needs disposing only once its wait handle is used, which it never is here.")]
public sealed class FileSessionStore : IMudbaseSessionStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates a store over <paramref name="path"/>; the file and its folder are created on the first save.</summary>
    /// <param name="path">The file's path, for example under <see cref="Environment.SpecialFolder.LocalApplicationData"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or whitespace.</exception>
    public FileSessionStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Reads the session. A missing, empty or corrupt file reads as no session (the user signs in again), so a
    /// damaged file never stops an app from starting.
    /// </summary>
    /// <exception cref="IOException">The file exists but cannot be read (for example, no permission); the message names it.</exception>
    public async Task<AuthSession?> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new IOException($"The session file '{Path}' cannot be read: {ex.Message}", ex);
            }

            if (bytes.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize(bytes, MudbaseJsonContext.Default.AuthSession);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                // Corrupt or from an incompatible version: treat as signed out rather than fail the app.
                return null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(AuthSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(session, MudbaseJsonContext.Default.AuthSession);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                var stream = File.Open(temporary, options);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, Path, overwrite: true);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TryDelete(Path);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"FileSessionStore {{ Path = {Path} }}";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete.
        }
    }
}
