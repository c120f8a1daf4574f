-- CreateIndex
CREATE INDEX "webhook_messages_endpoint_leased_idx" ON "webhook_messages"("endpoint_id", "leased_until");

-- CreateIndex
CREATE INDEX "webhook_messages_endpoint_due_idx" ON "webhook_messages"("endpoint_id", "next_attempt_at");

-- Leases a pending message for one attempt when its endpoint is enabled and has fewer than `cap`
-- attempts in flight; when the endpoint is busy, makes the message due now (it waits for its turn).
-- A function so that it is one round trip and yet counts right: the endpoint's row is locked first,
-- and each statement after the lock sees what concurrent claims committed (READ COMMITTED takes a
-- snapshot per statement inside a volatile function; a count in the locking statement would not).
CREATE FUNCTION claim_webhook_message(message_id uuid, cap integer, lease_seconds double precision)
RETURNS SETOF webhook_messages
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  endpoint uuid;
BEGIN
  SELECT e.id INTO endpoint
  FROM webhook_endpoints e JOIN webhook_messages m ON m.endpoint_id = e.id
  WHERE m.id = message_id AND e.enabled AND e.deleted_at IS NULL
  FOR NO KEY UPDATE OF e;
  IF endpoint IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
    UPDATE webhook_messages m
    SET leased_until = now() + make_interval(secs => lease_seconds), attempts = m.attempts + 1
    WHERE m.id = message_id AND m.status = 'Pending' AND (m.leased_until IS NULL OR m.leased_until < now())
      AND (SELECT count(*) FROM webhook_messages busy
           WHERE busy.endpoint_id = endpoint AND busy.leased_until > now()) < cap
    RETURNING m.*;
  IF NOT FOUND THEN
    UPDATE webhook_messages m SET next_attempt_at = now()
    WHERE m.id = message_id AND m.status = 'Pending' AND (m.leased_until IS NULL OR m.leased_until < now())
      AND m.next_attempt_at > now();
  END IF;
END
$$;
