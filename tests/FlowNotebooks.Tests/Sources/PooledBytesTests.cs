using FlowNotebooks.Sources;

namespace FlowNotebooks.Tests.Sources;

/// <summary>A whole object read into a pooled array: exactly its bytes, whatever the stream tells of its length, and
/// never more than the limit.</summary>
public sealed class PooledBytesTests
{
    // A stream that does not know its length and hands out at most 7,000 bytes a read (as a gzip stream does).
    sealed class Trickle(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7000));
    }

    static byte[] Bytes(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 31 + i / 251)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1 << 20)] // the first rented size of a stream of unknown length: exactly full, then the end
    [InlineData(3_840_616)] // one CloudWatch page of the 10^8 scenario
    public void Reads_exactly_the_bytes_of_a_stream_of_unknown_length(int n)
    {
        var bytes = Bytes(n);
        using var read = PooledBytes.Read(new Trickle(bytes), 1L << 30, "too large");
        Assert.Equal(n, read.Length);
        Assert.True(read.Span.SequenceEqual(bytes));
    }

    [Fact]
    public void Reads_the_rest_of_a_seekable_stream_from_its_position()
    {
        var bytes = Bytes(100_000);
        using var stream = new MemoryStream(bytes) { Position = 1234 };
        using var read = PooledBytes.Read(stream, 1L << 30, "too large");
        Assert.True(read.Span.SequenceEqual(bytes.AsSpan(1234)));
    }

    [Fact]
    public void More_than_the_limit_is_refused_with_the_reason_given()
    {
        var ex = Assert.Throws<InvalidDataException>(() => PooledBytes.Read(new Trickle(Bytes(50_001)), 50_000, "JSON object larger than 50,000 bytes"));
        Assert.Equal("JSON object larger than 50,000 bytes", ex.Message);
        using var exactly = PooledBytes.Read(new Trickle(Bytes(50_000)), 50_000, "too large");
        Assert.Equal(50_000, exactly.Length);
    }

    [Fact]
    public void A_disposed_buffer_is_not_read_again()
    {
        var read = PooledBytes.Read(new MemoryStream(Bytes(10)), 100, "too large");
        read.Dispose();
        Assert.Throws<ObjectDisposedException>(() => read.Span.Length);
    }
}
