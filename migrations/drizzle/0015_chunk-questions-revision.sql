-- A chunk's other wordings of its question (knowledge_chunks.questions) are searched like its
-- title: changing them is a change of its text, which the lexical index must follow.
CREATE OR REPLACE FUNCTION causette_chunks_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  t record;
BEGIN
  -- Only text changes matter to the lexical index; a new embedding or Qdrant flag does not.
  FOR t IN
    SELECT n.tenant_id, array_agg(n.id) AS ids
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.content IS DISTINCT FROM o.content OR n.title IS DISTINCT FROM o.title
       OR n.lang IS DISTINCT FROM o.lang OR n.questions IS DISTINCT FROM o.questions
    GROUP BY n.tenant_id
  LOOP
    PERFORM causette_record_chunk_changes(t.tenant_id, t.ids || t.ids,
      array_fill('d'::char, ARRAY[cardinality(t.ids)]) || array_fill('i'::char, ARRAY[cardinality(t.ids)]));
  END LOOP;
  RETURN NULL;
END
$$;
