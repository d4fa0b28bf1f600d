def post_init_hook(env):
    """Serve the endpoint at once: OCA's endpoints are routed once their registry is synced
    (what the endpoint form's *Sync Registry* does)."""
    endpoint = env.ref("storefront_api.fastapi_endpoint_storefront")
    endpoint._handle_registry_sync()
    endpoint.registry_sync = True
