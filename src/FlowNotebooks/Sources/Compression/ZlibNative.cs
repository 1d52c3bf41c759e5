using System.Runtime.InteropServices;

namespace FlowNotebooks.Sources.Compression;

/// <summary>
/// The zlib inflate entry points that ship with the .NET runtime (System.IO.Compression.Native, zlib-ng inside).
/// We call them directly because GZipStream treats a truncated object as a clean end of data, and evidence must not
/// be silently cut short. Layout and names follow dotnet/runtime src/native/libs/System.IO.Compression.Native/pal_zlib.h.
/// </summary>
internal static unsafe partial class ZlibNative
{
    const string Library = "libSystem.IO.Compression.Native";

    public const int Ok = 0, StreamEnd = 1, NeedDict = 2, DataError = -3, MemError = -4, BufError = -5;
    public const int NoFlush = 0;

    /// <summary>windowBits for gzip decoding (15 + 16).</summary>
    public const int GzipWindowBits = 31;

    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public sbyte* Msg;
        public void* InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateReset2_")]
    public static partial int InflateReset2(ZStream* stream, int windowBits);

    /// <summary>zlib's CRC-32 (the gzip one), vectorised in zlib-ng: the gzip writer checksums its text with it.</summary>
    [LibraryImport(Library, EntryPoint = "CompressionNative_Crc32")]
    public static partial uint Crc32(uint crc, byte* buffer, int length);
}
