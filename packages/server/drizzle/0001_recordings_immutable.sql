-- Recordings are immutable: the only change ever allowed is erasure by the owner, which clears the
-- content and sets erased_at once. Everything else about a stored recording stays as it was received.
CREATE FUNCTION recordings_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.erased_at IS NULL
     AND NEW.erased_at IS NOT NULL
     AND NEW.content IS NULL
     AND (NEW.patient_id, NEW.id, NEW.task_id, NEW.task_version, NEW.schema_version, NEW.hand, NEW.started_at,
          NEW.duration_ms, NEW.flags, NEW.sha256, NEW.byte_length, NEW.uploaded_by, NEW.received_at)
         IS NOT DISTINCT FROM
         (OLD.patient_id, OLD.id, OLD.task_id, OLD.task_version, OLD.schema_version, OLD.hand, OLD.started_at,
          OLD.duration_ms, OLD.flags, OLD.sha256, OLD.byte_length, OLD.uploaded_by, OLD.received_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'recordings are immutable; only erasure of the content is allowed'
    USING ERRCODE = 'P0001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER recordings_immutable BEFORE UPDATE ON recordings
  FOR EACH ROW EXECUTE FUNCTION recordings_immutable();
