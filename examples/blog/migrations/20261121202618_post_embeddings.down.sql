-- down of 20261121202618: post embeddings

DROP INDEX public.posts_embedding_idx;

-- hazard: data-loss
ALTER TABLE public.posts DROP COLUMN embedding;

DROP EXTENSION vector;
