using VrrpPS.Protocol;

namespace VrrpPS.Engine;

// Host effects beyond the VIPs: the virtual MAC link (use_vmac / -UseVirtualMac) and the Accept_Mode
// filter (no_accept / -AcceptMode:$false). Hooked into Start, Add/RemoveVirtualAddresses and Dispose.
internal sealed partial class InstanceRuntime
{
    private NetworkInterfaceInfo? _vmac;
    private bool _acceptBlocked;
    private bool _routesInstalled;

    /// <summary>Where the VIPs go: the macvlan when the instance uses a virtual MAC.</summary>
    private int AddressLinkIndex => _vmac?.Index ?? Resolved.Interface.Index;

    /// <summary>Source MAC of gratuitous ARPs / NAs: the virtual MAC when in use.</summary>
    private byte[] AnnounceMac => _vmac?.HardwareAddress ?? Resolved.Interface.HardwareAddress;

    /// <summary>Name of the instance's virtual MAC link, or null.</summary>
    public string? VirtualMacInterface => _vmac?.Name;

    private void StartHostEffects()
    {
        if (!Definition.AcceptMode && _platform.AcceptModeFilter is { } filter)
        {
            TryHostEffect("remove an earlier run's accept-mode filter", () => filter.Unblock(Name));
        }
    }

    /// <summary>
    /// use_vmac: creates the macvlan (before the socket, which is opened on it unless vmac_xmit_base:
    /// the kernel hands a frame whose source is our own virtual MAC — another router's advert — to the
    /// macvlan only, so the adverts must be both sent and received there). Null without use_vmac.
    /// </summary>
    private NetworkInterfaceInfo? CreateVirtualMac()
    {
        var d = Definition;
        if (!d.UseVirtualMac)
        {
            return null;
        }
        var links = _platform.VirtualMacLinks ?? throw new VrrpEngineException(EngineErrorIds.StartFailed,
            $"({Name}) use_vmac: this platform cannot create virtual MAC links.", Name);
        var spec = new VirtualMacLinkSpec(d.VirtualMacName ?? VirtualMacLinkSpec.DefaultName((byte)d.VirtualRouterId),
            Resolved.Interface.Index, Resolved.Interface.Name, (byte)d.VirtualRouterId, d.Family);
        _vmac = links.Create(spec);
        _log.Info(Name, $"Created VMAC interface {_vmac.Name} ({FormatMac(_vmac.HardwareAddress)}) on {Resolved.Interface.Name}");
        if (d.VirtualMacTransmitBase)
        {
            return null;
        }
        if (d.Family == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            // RFC 5798 §5.1.2.1: IPv6 adverts come from a link-local address of the sending interface;
            // the macvlan generates none (it would be the same on every router), so it gets the base's.
            TryHostEffect($"add {Resolved.SourceAddress} to {_vmac.Name}",
                () => _platform.Addresses.Add(_vmac.Index, new VirtualAddressSpec(Resolved.SourceAddress, 64) { Scope = 253 }));
        }
        return _vmac;
    }

    /// <summary>Becoming Master (VIPs set): Accept_Mode false on a non-owner drops traffic to the VIPs.</summary>
    private void MasterHostEffects()
    {
        ChangeRoutes(add: true);
        // The owner always accepts (keepalived turns accept on at priority 255).
        if (Definition.AcceptMode || Resolved.IsAddressOwner || Definition.Priority == VrrpConstants.OwnerPriority)
        {
            return;
        }
        if (_platform.AcceptModeFilter is not { } filter)
        {
            _log.Warning(Name, "no_accept: this platform has no firewall to drop traffic to the VIPs; they accept it.");
            return;
        }
        TryHostEffect("install the accept-mode filter", () =>
        {
            filter.Block(Name, Definition.AllAddresses.Select(v => v.Address).ToList());
            _acceptBlocked = true;
            _log.Info(Name, "Accept_Mode off: traffic to the VIPs is dropped while Master");
        });
    }

    /// <summary>Leaving Master (VIPs removed): the accept-mode filter goes.</summary>
    private void LeaveMasterHostEffects()
    {
        ChangeRoutes(add: false);
        if (_acceptBlocked && _platform.AcceptModeFilter is { } filter)
        {
            TryHostEffect("remove the accept-mode filter", () => filter.Unblock(Name));
            _acceptBlocked = false;
        }
    }

    private void DisposeHostEffects()
    {
        LeaveMasterHostEffects();
        if (_vmac is { } vmac && _platform.VirtualMacLinks is { } links)
        {
            TryHostEffect($"delete VMAC interface {vmac.Name}", () => links.Delete(vmac.Name));
            _vmac = null;
        }
    }

    // virtual_routes / virtual_rules: after the VIPs on becoming Master (a route may use a VIP as src), removed first on leaving.
    private void ChangeRoutes(bool add)
    {
        if (Definition.VirtualRoutes.Count == 0 || add == _routesInstalled || _platform.Routes is not { } routes)
        {
            return;
        }
        _routesInstalled = add;
        var list = add ? Definition.VirtualRoutes : Definition.VirtualRoutes.Reverse();
        foreach (var r in list)
        {
            int dev = r.Device is null ? 0 : _platform.FindInterface(r.Device)?.Index ?? 0;
            TryHostEffect($"{(add ? "add" : "remove")} {(r.IsRule ? "rule" : "route")} '{r.Text}'", () =>
            {
                if (add)
                {
                    routes.Add(r, dev);
                }
                else
                {
                    routes.Remove(r, dev);
                }
            });
        }
    }

    private void TryHostEffect(string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            _log.Error(Name, $"Could not {what}: {ex.Message}");
        }
    }

    private static string FormatMac(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
