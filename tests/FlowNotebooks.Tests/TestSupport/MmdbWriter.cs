using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace FlowNotebooks.Tests.TestSupport;

/// <summary>
/// Writes small MaxMind DB files (.mmdb, binary format 2.0: an IPv6 search tree of 24-bit records, a data section and
/// metadata, as the public MaxMind DB specification lays them out), so that tests read real files through the real
/// reader without committing MaxMind's own. Values: string, uint (uint32), ushort (uint16), ulong (uint64), bool,
/// string→object maps and object lists. Networks must not overlap.
/// </summary>
public static class MmdbWriter
{
    sealed class Node
    {
        public readonly object?[] Children = new object?[2]; // Node, int (data offset) or null (no data)
    }

    public static void Write(string path, string databaseType, IEnumerable<(string Cidr, object Data)> entries)
    {
        var root = new Node();
        var data = new MemoryStream();
        foreach (var (cidr, value) in entries)
        {
            var offset = (int)data.Length;
            Encode(data, value);
            Insert(root, cidr, offset);
        }

        var nodes = new List<Node>();
        var ids = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<Node>([root]);
        while (queue.TryDequeue(out var n))
        {
            ids[n] = nodes.Count;
            nodes.Add(n);
            foreach (var c in n.Children) if (c is Node child) queue.Enqueue(child);
        }
        using var file = File.Create(path);
        foreach (var n in nodes)
            foreach (var c in n.Children)
            {
                var record = c switch { Node child => ids[child], int offset => nodes.Count + 16 + offset, _ => nodes.Count };
                file.Write([(byte)(record >> 16), (byte)(record >> 8), (byte)record]);
            }
        file.Write(new byte[16]);
        data.WriteTo(file);
        file.Write([0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8]);
        Encode(file, new Dictionary<string, object>
        {
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = (ulong)1_767_225_600,
            ["database_type"] = databaseType,
            ["description"] = new Dictionary<string, object> { ["en"] = "FlowNotebooks test database" },
            ["ip_version"] = (ushort)6,
            ["languages"] = new List<object> { "en" },
            ["node_count"] = (uint)nodes.Count,
            ["record_size"] = (ushort)24,
        });
    }

    static void Insert(Node root, string cidr, int offset)
    {
        var slash = cidr.IndexOf('/');
        var ip = IPAddress.Parse(cidr[..slash]);
        var prefix = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        // An IPv4 network sits under ::/96 of the IPv6 tree, where readers look IPv4 addresses up.
        var v4 = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        byte[] bytes = v4 ? [.. new byte[12], .. ip.GetAddressBytes()] : ip.GetAddressBytes();
        if (v4) prefix += 96;
        var node = root;
        for (var i = 0; i < prefix; i++)
        {
            var bit = (bytes[i / 8] >> (7 - i % 8)) & 1;
            if (i == prefix - 1)
            {
                if (node.Children[bit] is not null) throw new ArgumentException($"{cidr} overlaps another network.");
                node.Children[bit] = offset;
            }
            else
            {
                node = node.Children[bit] switch
                {
                    Node next => next,
                    null => (Node)(node.Children[bit] = new Node()),
                    _ => throw new ArgumentException($"{cidr} is inside another network."),
                };
            }
        }
    }

    static void Encode(Stream s, object value)
    {
        switch (value)
        {
            case string text:
                var utf8 = Encoding.UTF8.GetBytes(text);
                Control(s, 2, utf8.Length);
                s.Write(utf8);
                break;
            case ushort u16: Unsigned(s, 5, u16, 2); break;
            case uint u32: Unsigned(s, 6, u32, 4); break;
            case ulong u64: Unsigned(s, 9, u64, 8); break;
            case bool b: Control(s, 14, b ? 1 : 0); break;
            case IDictionary<string, object> map:
                Control(s, 7, map.Count);
                foreach (var (k, v) in map)
                {
                    Encode(s, k);
                    Encode(s, v);
                }
                break;
            case IList<object> list:
                Control(s, 11, list.Count);
                foreach (var v in list) Encode(s, v);
                break;
            default: throw new ArgumentException($"No MaxMind DB encoding for {value.GetType().Name}.");
        }
    }

    static void Unsigned(Stream s, int type, ulong value, int width)
    {
        Span<byte> be = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(be, value);
        var bytes = be[(8 - width)..].TrimStart((byte)0);
        Control(s, type, bytes.Length);
        s.Write(bytes);
    }

    // Control byte: type in the top 3 bits (0 = extended: the next byte holds type - 7), size in the low 5 (29, 30, 31: 1, 2 or 3 more bytes).
    static void Control(Stream s, int type, int size)
    {
        var sizeBits = size < 29 ? size : size < 285 ? 29 : size < 65_821 ? 30 : 31;
        s.WriteByte((byte)(((type <= 7 ? type : 0) << 5) | sizeBits));
        if (type > 7) s.WriteByte((byte)(type - 7));
        switch (sizeBits)
        {
            case 29: s.WriteByte((byte)(size - 29)); break;
            case 30: s.Write([(byte)((size - 285) >> 8), (byte)(size - 285)]); break;
            case 31: s.Write([(byte)((size - 65_821) >> 16), (byte)((size - 65_821) >> 8), (byte)(size - 65_821)]); break;
        }
    }
}
