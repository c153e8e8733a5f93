-- down of 20261121205802: users and posts

ALTER TABLE public.posts DROP CONSTRAINT posts_author_id_fkey;

-- hazard: data-loss
DROP TABLE public.posts;

-- hazard: data-loss
DROP TABLE public.users;

DROP TYPE public.post_status;
