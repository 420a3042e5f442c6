using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Makes MongoDB-style ObjectIds, the id format of the hosted service: 4 bytes of Unix seconds,
/// 5 random bytes fixed per generator, and a 3-byte counter, as 24 lowercase hex characters.
/// Thread-safe.
/// </summary>
internal sealed class ObjectIdGenerator(TimeProvider timeProvider)
{
    private readonly byte[] _random = RandomNumberGenerator.GetBytes(5);
    private int _counter = RandomNumberGenerator.GetInt32(0x1000000);

    public string Next()
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)timeProvider.GetUtcNow().ToUnixTimeSeconds());
        _random.CopyTo(bytes[4..]);
        var counter = Interlocked.Increment(ref _counter);
        bytes[9] = (byte)(counter >> 16);
        bytes[10] = (byte)(counter >> 8);
        bytes[11] = (byte)counter;
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Whether a value has the shape of an ObjectId (24 hex characters, either case).</summary>
    public static bool IsValid(string value) => value.Length == 24 && value.All(char.IsAsciiHexDigit);
}
