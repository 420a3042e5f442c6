using System.Net;
using System.Runtime.ExceptionServices;
using System.Text;

namespace System;

/// <summary>Small members of strings, spans, collections, Math and ExceptionDispatchInfo that .NET Core added.</summary>
internal static class CorePolyfills
{
    extension(string text)
    {
        public string[] Split(char separator, StringSplitOptions options = StringSplitOptions.None) => text.Split([separator], options);

        public int IndexOf(char value, StringComparison comparisonType) =>
            comparisonType is StringComparison.Ordinal ? text.IndexOf(value) : text.IndexOf(value.ToString(), comparisonType);

        public bool Contains(string value, StringComparison comparisonType) => text.IndexOf(value, comparisonType) >= 0;

        public bool StartsWith(char value) => text.Length > 0 && text[0] == value;
    }

    extension(ReadOnlySpan<byte> span)
    {
        /// <summary>Removes leading occurrences of any of <paramref name="trimElements"/>.</summary>
        public ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> trimElements)
        {
            var start = 0;
            while (start < span.Length && trimElements.IndexOf(span[start]) >= 0)
            {
                start++;
            }

            return span.Slice(start);
        }
    }

    extension(Encoding encoding)
    {
        public string GetString(ReadOnlySpan<byte> bytes) => encoding.GetString(bytes.ToArray());
    }

    extension(Math)
    {
        public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;
    }

    extension(ExceptionDispatchInfo)
    {
        /// <summary>Rethrows <paramref name="source"/> with its original stack trace.</summary>
        public static void Throw(Exception source) => ExceptionDispatchInfo.Capture(source).Throw();
    }
}

/// <summary>Dictionary members that .NET Core added.</summary>
internal static class DictionaryPolyfills
{
    extension<TKey, TValue>(Dictionary<TKey, TValue> dictionary)
        where TKey : notnull
    {
        public bool TryAdd(TKey key, TValue value)
        {
            if (dictionary.ContainsKey(key))
            {
                return false;
            }

            dictionary.Add(key, value);
            return true;
        }
    }

    extension<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> dictionary)
    {
        public TValue? GetValueOrDefault(TKey key) => dictionary.TryGetValue(key, out var value) ? value : default;
    }
}
