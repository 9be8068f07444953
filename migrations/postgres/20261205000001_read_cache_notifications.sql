-- Instances keep the rows every signed-in request reads (sessions, users and their roles)
-- in memory, and forget them when told that one of these tables changed (see
-- src/store/cache.rs). PostgreSQL tells every instance at commit: one notification per
-- changing statement, merged within a transaction, none for a transaction that rolls back.
CREATE FUNCTION gatehouse_notify_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gatehouse_read_cache', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER sessions_notify_read_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_notify_read_cache();
CREATE TRIGGER users_notify_read_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_notify_read_cache();
CREATE TRIGGER user_roles_notify_read_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_roles
    FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_notify_read_cache();
