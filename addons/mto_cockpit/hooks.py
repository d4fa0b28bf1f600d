def post_init_hook(env):
    """Orders already in production get the date of their last change as the date they
    entered their state: the best the database knows."""
    env.cr.execute(
        "UPDATE purchase_order SET mto_state_since = write_date "
        "WHERE mto_state IS NOT NULL AND mto_state_since IS NULL"
    )
