using FlowNotebooks.Formats;
using FlowNotebooks.Scenarios.Background;
using FlowNotebooks.Scenarios.Delivery;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>
/// The web shop both bundled scenarios play in: an ALB in two public subnets, a NAT gateway, a bastion, public web
/// servers, a private app tier with the DNS resolver, a Lambda function and ECS tasks, a database subnet, and an ops
/// subnet with a CI runner. Resource ids come from the seed; addresses are those of the default seed (which write-ups
/// name) moved by the seed's <see cref="Variation"/>.
/// </summary>
public sealed class ShopVpc
{
    public const string AccountId = "418273645190";
    public const string Region = "eu-west-1";
    public const string Bucket = "nw-prod-vpc-flow-logs";
    public const string LogGroup = "critical-eni-flows";
    public static readonly uint Office = Ipv4.Parse("81.2.69.160");
    public static readonly uint S3Address = Ipv4.Parse("52.218.96.17");
    public static readonly uint QueueAddress = Ipv4.Parse("52.95.120.41");
    public static readonly uint[] Mirrors = [Ipv4.Parse("185.125.190.36"), Ipv4.Parse("91.189.91.81")];
    public static readonly uint[] NtpServers = [Ipv4.Parse("162.159.200.1"), Ipv4.Parse("185.83.169.27")];
    public static readonly uint[] CodeHosts = [Ipv4.Parse("140.82.121.3"), Ipv4.Parse("104.16.27.34")];

    /// <summary>All v2–v5 fields in documentation order: what a team ticking "all fields" for the public subnets gets.</summary>
    public const string PublicFormat =
        "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} " +
        "${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${region} ${az-id} ${sublocation-type} ${sublocation-id} " +
        "${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}";

    /// <summary>The AWS CLI example's custom order plus v4/v5 fields: the app subnet's Parquet flow log.</summary>
    public const string AppFormat =
        "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} " +
        "${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status} ${az-id} " +
        "${flow-direction} ${traffic-path} ${pkt-src-aws-service} ${pkt-dst-aws-service}";

    public required int Seed { get; init; }
    /// <summary>What the seed moves: the scenario's attacker addresses, times and volumes come from it too.</summary>
    public required Variation Variation { get; init; }
    public required VpcTopology Vpc { get; init; }
    public required Subnet PublicA { get; init; }
    public required Subnet PublicB { get; init; }
    public required Subnet WebSubnet { get; init; }
    public required Subnet AppSubnet { get; init; }
    public required Subnet DataSubnet { get; init; }
    public required Subnet OpsSubnet { get; init; }

    public Workload AlbA => Vpc["alb-node-a"];
    public Workload AlbB => Vpc["alb-node-b"];
    public Workload Nat => Vpc["nat-gateway"];
    public Workload Bastion => Vpc["bastion"];
    public Workload Web1 => Vpc["web-1"];
    public Workload Web2 => Vpc["web-2"];
    public Workload App1 => Vpc["app-1"];
    public Workload App2 => Vpc["app-2"];
    public Workload Resolver => Vpc["dns-1"];
    public Workload Lambda => Vpc["orders-export-lambda"];
    public Workload Task1 => Vpc["report-worker-task-1"];
    public Workload Task2 => Vpc["report-worker-task-2"];
    public Workload Database => Vpc["db-1"];
    public Workload CiRunner => Vpc["ci-runner-1"];
    public Workload? Unmanaged => Vpc.Workloads.FirstOrDefault(w => !w.Managed);

    /// <summary>An AWS-style id (<c>eni-0</c> + 16 hex) stable for the seed and name.</summary>
    public string Id(string prefix, string name) => Id(Seed, prefix, name);

    static string Id(int seed, string prefix, string name) => $"{prefix}-0{ScenarioRandom.For(seed, prefix + ":" + name).Hex(16)}";

    /// <summary>
    /// The shop; <paramref name="unmanagedIp"/> adds a host in the ops subnet that no inventory lists, <paramref name="serviceRanges"/>
    /// AWS service prefixes the story reaches over the internet path (see <see cref="VpcTopology.ServiceRanges"/>).
    /// </summary>
    /// <remarks>Addresses are written as in the default case; <see cref="Variation"/> moves them for other seeds.</remarks>
    public static ShopVpc Build(int seed, string? unmanagedIp = null, IReadOnlyList<(string Cidr, AwsService Service)>? serviceRanges = null)
    {
        var v = Variation.For(seed);
        Subnet S(string name, string cidr, string az, string azId, bool pub) => new(Id(seed, "subnet", name), name, v.Cidr(cidr), az, azId, pub);
        var publicA = S("public-a", "10.20.0.0/24", "eu-west-1a", "euw1-az3", true);
        var publicB = S("public-b", "10.20.1.0/24", "eu-west-1b", "euw1-az1", true);
        var web = S("web", "10.20.10.0/24", "eu-west-1a", "euw1-az3", true);
        var app = S("app", "10.20.20.0/24", "eu-west-1a", "euw1-az3", false);
        var data = S("data", "10.20.30.0/24", "eu-west-1b", "euw1-az1", false);
        var ops = S("ops", "10.20.40.0/24", "eu-west-1b", "euw1-az1", false);
        Workload Instance(string name, string role, Subnet subnet, string ip, string? publicIp = null) => new()
        {
            Name = name, Role = role, Subnet = subnet, PrivateIp = v.Internal(ip), PublicIp = publicIp is null ? 0 : Ipv4.Parse(publicIp),
            InterfaceId = Id(seed, "eni", name), InstanceId = Id(seed, "i", name), SecurityGroup = Id(seed, "sg", role),
        };
        var albId = ScenarioRandom.For(seed, "alb").Hex(16);
        Workload AlbNode(string name, Subnet subnet, string ip, string publicIp) => new()
        {
            Name = name, Role = "load_balancer", Subnet = subnet, PrivateIp = v.Internal(ip), PublicIp = Ipv4.Parse(publicIp),
            InterfaceId = Id(seed, "eni", name), Description = $"ELB app/shop-alb/{albId}", RequesterManaged = true,
            RequesterId = "amazon-elb", AttachmentOwner = "amazon-elb", SecurityGroup = Id(seed, "sg", "alb"),
        };
        Workload Task(string name, string ip) => new()
        {
            Name = name, Role = "ecs_task", Subnet = app, PrivateIp = v.Internal(ip), InterfaceId = Id(seed, "eni", name),
            Description = $"arn:aws:ecs:{Region}:{AccountId}:attachment/{Guid(seed, name)}", RequesterManaged = true,
            RequesterId = "578734482556", AttachmentOwner = "amazon-aws", SecurityGroup = Id(seed, "sg", "worker"),
        };
        var workloads = new List<Workload>
        {
            AlbNode("alb-node-a", publicA, "10.20.0.10", "34.246.81.17"),
            AlbNode("alb-node-b", publicB, "10.20.1.10", "54.220.193.40"),
            new()
            {
                Name = "nat-gateway", Role = "nat_gateway", Subnet = publicA, PrivateIp = v.Internal("10.20.0.20"), PublicIp = Ipv4.Parse("52.49.200.14"),
                InterfaceId = Id(seed, "eni", "nat"), InterfaceType = "nat_gateway", Description = $"Interface for NAT Gateway {Id(seed, "nat", "nat")}",
                RequesterManaged = true, RequesterId = "amazon-aws", AttachmentOwner = "amazon-aws",
            },
            Instance("bastion", "bastion", publicA, "10.20.0.30", "52.30.115.9"),
            Instance("web-1", "web", web, "10.20.10.11", "34.243.57.121"),
            Instance("web-2", "web", web, "10.20.10.12", "34.242.160.33"),
            Instance("app-1", "app", app, "10.20.20.21"),
            Instance("app-2", "app", app, "10.20.20.22"),
            Instance("dns-1", "dns_resolver", app, "10.20.20.53"),
            new()
            {
                Name = "orders-export-lambda", Role = "lambda", Subnet = app, PrivateIp = v.Internal("10.20.20.140"), InterfaceId = Id(seed, "eni", "lambda"),
                InterfaceType = "lambda", Description = $"AWS Lambda VPC ENI-orders-export-{Guid(seed, "lambda")}", RequesterManaged = true,
                RequesterId = $"AROA{ScenarioRandom.For(seed, "lambda-role").Hex(17).ToUpperInvariant()}:orders-export", AttachmentOwner = "amazon-aws",
                SecurityGroup = Id(seed, "sg", "lambda"),
            },
            Task("report-worker-task-1", "10.20.20.161"),
            Task("report-worker-task-2", "10.20.20.162"),
            Instance("db-1", "database", data, "10.20.30.40"),
            Instance("ci-runner-1", "ci_runner", ops, "10.20.40.10"),
        };
        if (unmanagedIp is not null)
                    {
            var ip = v.Internal(unmanagedIp);
            workloads.Add(new Workload { Name = "unmanaged-" + Ipv4.Format(ip), Role = "unmanaged", Subnet = ops, PrivateIp = ip, Managed = false });
        }
        var vpc = new VpcTopology
        {
            AccountId = AccountId, Region = Region, VpcId = Id(seed, "vpc", "shop"), Cidr = v.Cidr("10.20.0.0/16"),
            Subnets = [publicA, publicB, web, app, data, ops], Workloads = workloads, S3Prefixes = ["52.218.0.0/17", "3.5.64.0/21"],
            ServiceRanges = serviceRanges ?? [],
            Nat = workloads.First(w => w.Role == "nat_gateway"),
        };
        return new ShopVpc { Seed = seed, Variation = v, Vpc = vpc, PublicA = publicA, PublicB = publicB, WebSubnet = web, AppSubnet = app, DataSubnet = data, OpsSubnet = ops };
    }

    /// <summary>The shop's everyday traffic; <paramref name="exposed"/> lists ports the internet reaches on each web server.</summary>
    public IReadOnlyList<ITrafficSource> Background(IReadOnlyDictionary<Workload, ushort[]> exposed)
    {
        var linux = new[] { Bastion, Web1, Web2, App1, App2, Resolver, Database, CiRunner };
        var resolverClients = linux.Where(w => w != Resolver).Concat([Task1, Task2]).Concat(Unmanaged is { } u ? [u] : []).ToList();
        return
        [
            new AlbHealthChecks([AlbA, AlbB], [Web1, Web2]),
            new WebUsers([AlbA, AlbB], [Web1, Web2], [App1, App2], Database),
            new ResolverQueries(Resolver, resolverClients, queriesPerHour: 4),
            new TimeSync([Bastion, Resolver, CiRunner], NtpServers),
            new InternetScanners([(Web1, exposed.GetValueOrDefault(Web1, [])), (Web2, exposed.GetValueOrDefault(Web2, [])), (Bastion, []),
                (AlbA, [80, 443]), (AlbB, [80, 443])]),
            new BastionAdmin(Bastion, Office, [App1, App2, Database, Resolver]),
            new ScheduledJobs(linux, Mirrors, [App1, App2], Database, S3Address, [CiRunner], CodeHosts),
            new ServerlessWorkers(Lambda, App1, [Task1, Task2], App2, QueueAddress),
        ];
    }

    /// <summary>
    /// The flow logs: one per subnet except ops (nobody enabled it), each with its own format and delivery, plus
    /// interface-level flow logs on the database and web-1 into CloudWatch that overlap their subnets' flow logs.
    /// </summary>
    /// <remarks>The public-b flow log (5-minute objects) was only switched on during the response, at <paramref name="publicBCreated"/>.</remarks>
    public IReadOnlyList<Capture> Captures(CaseFormats formats, DateTime created, DateTime publicBCreated)
    {
        var v2 = FlowLogFormat.Default;
        var pub = FlowLogFormat.Parse(PublicFormat, "public subnets LogFormat");
        var appFormat = FlowLogFormat.Parse(AppFormat, "app subnet LogFormat");
        var hive = formats.HasFlag(CaseFormats.Hive);
        var cloudWatch = formats.HasFlag(CaseFormats.CloudWatch);
        Capture C(string resourceId, FlowLogFormat format) => new()
        {
            FlowLogId = Id("fl", resourceId), ResourceId = resourceId, Format = format, Bucket = Bucket, CreationTime = created, MaxAggregationInterval = 60,
        };
        Capture Eni(Workload w) => C(w.InterfaceId!, v2) with
        {
            Destination = cloudWatch ? CaptureDestination.CloudWatch : CaptureDestination.S3Text,
            LogGroup = cloudWatch ? LogGroup : null,
            MaxAggregationInterval = 600,
            CreationTime = created.AddDays(200),
        };
        return
        [
            C(PublicA.Id, pub) with { Layout = KeyLayout.DefaultPerHour },
            C(PublicB.Id, pub) with { Layout = KeyLayout.DefaultPerHour, ObjectMinutes = 5, CreationTime = publicBCreated },
            C(WebSubnet.Id, v2),
            C(AppSubnet.Id, appFormat) with
            {
                Destination = formats.HasFlag(CaseFormats.Parquet) ? CaptureDestination.S3Parquet : CaptureDestination.S3Text,
                Layout = hive ? KeyLayout.HivePerHour : KeyLayout.DefaultPerHour, MaxAggregationInterval = 600,
            },
            C(DataSubnet.Id, v2) with { Layout = hive ? KeyLayout.Hive : KeyLayout.Default },
            Eni(Database),
            Eni(Web1),
        ];
    }

    /// <summary>
    /// The answer key's facts of every shop case (scenario, seed, account, VPC, window, hosts, indicators, coverage); a
    /// scenario adds its story's with <c>with</c>. The indicators are those iocs.txt lists.
    /// </summary>
    public AnswerKey Key(Scenario scenario, ScenarioOptions options, string story, DateTime start, DateTime end,
        IReadOnlyList<(string Ip, string Note)> iocs, KeyCoverage coverage) => new()
    {
        Scenario = scenario.Name, Seed = options.Seed, Scale = options.Scale, Story = story,
        AccountId = Vpc.AccountId, Region = Vpc.Region, VpcId = Vpc.VpcId, VpcCidr = Vpc.Cidr,
        Window = new TimeWindow(start, end), Hosts = KeyHosts(), Iocs = [.. iocs.Select(i => i.Ip)], Coverage = coverage,
    };

    public IReadOnlyList<KeyHost> KeyHosts() =>
        Vpc.Workloads.Select(w => new KeyHost(w.Name, w.Role, w.InterfaceId, w.PrivateAddress, w.PublicAddress, w.Subnet.Id, w.InstanceId, w.Managed)).ToList();

    public Capture CaptureOf(IReadOnlyList<Capture> captures, Subnet subnet) => captures.First(c => c.ResourceId == subnet.Id);

    static string Guid(int seed, string name)
    {
        var h = ScenarioRandom.For(seed, "guid:" + name).Hex(32);
        return $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..]}";
    }
}
