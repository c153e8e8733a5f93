-- down of 20261121205803: tags and post embeddings

ALTER TABLE public.post_tags DROP CONSTRAINT post_tags_tag_id_fkey;

DROP INDEX public.posts_embedding_idx;

-- hazard: data-loss
ALTER TABLE public.posts DROP COLUMN embedding;

-- hazard: data-loss
DROP TABLE public.post_tags;

-- hazard: data-loss
DROP TABLE public.tags;

DROP EXTENSION vector;
